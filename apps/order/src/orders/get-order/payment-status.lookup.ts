import { GetPaymentByOrder } from '@app/contracts';
import { AmqpClient, errorMessage } from '@app/messaging';
import { Injectable, Logger } from '@nestjs/common';
import { firstValueFrom } from 'rxjs';
import type { PaymentView } from './order-with-payment.view';

/** Asks the payment service, over RPC, how an order's payment stands. */
@Injectable()
export class PaymentStatusLookup {
  private readonly logger = new Logger(PaymentStatusLookup.name);

  constructor(private readonly client: AmqpClient) {}

  /**
   * UNKNOWN when the call fails — no answer in time, a full request queue, a refusal: the order
   * is still worth showing, and the log line says which.
   */
  async forOrder(orderId: string): Promise<PaymentView> {
    try {
      return await firstValueFrom(this.client.send(GetPaymentByOrder, { orderId }));
    } catch (error) {
      this.logger.warn(`Payment status of order ${orderId} is unknown: ${errorMessage(error)}`);
      return { status: 'UNKNOWN' };
    }
  }
}
