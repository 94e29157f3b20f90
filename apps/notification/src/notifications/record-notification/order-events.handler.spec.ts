import {
  EVENTS_EXCHANGE,
  OrderCancelled,
  OrderCreated,
  OrderPaid,
  PaymentRefunded,
} from '@app/contracts';
import { messageRoutesOf } from '@app/messaging';
import { notificationTopology } from '../../notification.topology';
import { OrderEventsHandler } from './order-events.handler';
import type { RecordNotificationService } from './record-notification.service';

const ORDER_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

function setup() {
  const recordNotification: jest.Mocked<Pick<RecordNotificationService, 'record'>> = {
    record: jest.fn().mockResolvedValue(undefined),
  };
  const handler = new OrderEventsHandler(
    recordNotification as unknown as RecordNotificationService,
  );
  return { handler, record: recordNotification.record };
}

describe('OrderEventsHandler (notification)', () => {
  it('records an order-received notification for a new order', async () => {
    const { handler, record } = setup();
    await handler.onOrderCreated({
      orderId: ORDER_ID,
      customerId: 'customer-1',
      currency: 'EUR',
      total: 2500,
      items: [{ sku: 'BOOK', quantity: 2, unitPrice: 1250 }],
      createdAt: '2026-11-05T10:00:00.000Z',
    });
    expect(record).toHaveBeenCalledWith(ORDER_ID, 'order-received');
  });

  it('records an order-paid notification for a paid order', async () => {
    const { handler, record } = setup();
    await handler.onOrderPaid({ orderId: ORDER_ID });
    expect(record).toHaveBeenCalledWith(ORDER_ID, 'order-paid');
  });

  it('records an order-cancelled notification for a cancelled order', async () => {
    const { handler, record } = setup();
    await handler.onOrderCancelled({ orderId: ORDER_ID, reason: 'payment_timeout' });
    expect(record).toHaveBeenCalledWith(ORDER_ID, 'order-cancelled');
  });

  it('consumes the order events and payment.refunded from notification.order-events, bound on events', () => {
    const routes = messageRoutesOf(OrderEventsHandler);

    // Containing, not equal: a handler generated onto this controller adds its own route.
    expect(routes.map(({ pattern }) => pattern)).toEqual(
      expect.arrayContaining([OrderCreated, OrderPaid, OrderCancelled, PaymentRefunded]),
    );
    for (const route of routes) {
      expect(route.kind).toBe('event');
      expect(route.queue).toBe(notificationTopology.queues.orderEvents);
    }
    expect(notificationTopology.queues.orderEvents.name).toBe('notification.order-events');
    expect(notificationTopology.queues.orderEvents.exchange).toBe(EVENTS_EXCHANGE);
  });
});
