import { EVENTS_EXCHANGE, OrderCancelled } from '@app/contracts';
import { HANDLE_MESSAGE, type HandleMessageMetadata } from '@app/messaging';
import { Reflector } from '@nestjs/core';
import { notificationTopology } from '../../notification.topology';
import { OrderCancelledHandler } from './order-cancelled.handler';
import type { RecordNotificationService } from './record-notification.service';

const event: OrderCancelled = {
  orderId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  reason: 'amount_limit_exceeded',
};

describe('OrderCancelledHandler (notification)', () => {
  it('records an order-cancelled notification for the order', async () => {
    const recordNotification: jest.Mocked<Pick<RecordNotificationService, 'record'>> = {
      record: jest.fn().mockResolvedValue(undefined),
    };
    const handler = new OrderCancelledHandler(
      recordNotification as unknown as RecordNotificationService,
    );

    await handler.handle(event);

    expect(recordNotification.record).toHaveBeenCalledWith(event.orderId, 'order-cancelled');
  });

  it('consumes order.cancelled from the notification.order-events queue', () => {
    const metadata = new Reflector().get<HandleMessageMetadata>(
      HANDLE_MESSAGE,
      OrderCancelledHandler.prototype.handle,
    );

    expect(metadata.queue).toBe(notificationTopology.queues.orderEvents);
    expect(metadata.contract).toBe(OrderCancelled);
    expect(metadata.queue.name).toBe('notification.order-events');
    expect(metadata.queue.bindings).toContainEqual({
      exchange: EVENTS_EXCHANGE,
      routingKey: 'order.cancelled',
    });
  });
});
