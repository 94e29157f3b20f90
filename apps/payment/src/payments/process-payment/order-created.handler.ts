import { OrderCreated } from '@app/contracts';
import { HandleMessage } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { paymentTopology } from '../../payment.topology';
import { ProcessPaymentService } from './process-payment.service';

@Injectable()
export class OrderCreatedHandler {
  constructor(private readonly processPayment: ProcessPaymentService) {}

  @HandleMessage(paymentTopology.queues.orderCreated, OrderCreated)
  async handle(event: OrderCreated): Promise<void> {
    await this.processPayment.process(event);
  }
}
