import {
  NOTIFICATION_KIND_OF,
  OrderCancelled,
  OrderCreated,
  OrderPaid,
  PaymentRefunded,
} from '@app/contracts';
import { MessageController } from '@app/messaging';
import { EventPattern, Payload } from '@nestjs/microservices';
import { notificationTopology } from '../../notification.topology';
import { RecordNotificationService } from './record-notification.service';

/**
 * The events of an order's life that notify the customer (a refund of its payment included):
 * one method per event, each records its kind.
 */
@MessageController(notificationTopology.queues.orderEvents)
export class OrderEventsHandler {
  constructor(private readonly recordNotification: RecordNotificationService) {}

  @EventPattern(OrderCreated)
  async onOrderCreated(@Payload() event: OrderCreated): Promise<void> {
    await this.recordNotification.record(event.orderId, NOTIFICATION_KIND_OF[OrderCreated.type]);
  }

  @EventPattern(OrderPaid)
  async onOrderPaid(@Payload() event: OrderPaid): Promise<void> {
    await this.recordNotification.record(event.orderId, NOTIFICATION_KIND_OF[OrderPaid.type]);
  }

  @EventPattern(OrderCancelled)
  async onOrderCancelled(@Payload() event: OrderCancelled): Promise<void> {
    await this.recordNotification.record(event.orderId, NOTIFICATION_KIND_OF[OrderCancelled.type]);
  }

  @EventPattern(PaymentRefunded)
  async onPaymentRefunded(@Payload() event: PaymentRefunded): Promise<void> {
    await this.recordNotification.record(event.orderId, NOTIFICATION_KIND_OF[PaymentRefunded.type]);
  }
}
