import { EVENTS_EXCHANGE, OrderCreated } from '@app/contracts';
import { EventPattern } from '@nestjs/microservices';
import { consumerQueue } from '../topology/topology';
import { MessageController } from './message-controller.decorator';
import { messageRoutesOf } from './message-routes';

const orderEvents = consumerQueue({
  name: 'notification.order-events',
  exchange: EVENTS_EXCHANGE,
  prefetch: 10,
});
const other = consumerQueue({ name: 'notification.other', prefetch: 1 });

@MessageController(orderEvents)
class OrderEventsController {
  @EventPattern(OrderCreated)
  onCreated(): void {}

  @EventPattern('order.paid', { queue: other })
  onPaid(): void {}

  notAHandler(): void {}
}

describe('@MessageController', () => {
  it("gives each handler method its controller's queue, unless the pattern names its own", () => {
    expect(messageRoutesOf(OrderEventsController)).toEqual([
      {
        handler: 'OrderEventsController.onCreated',
        kind: 'event',
        pattern: OrderCreated,
        queue: orderEvents,
      },
      {
        handler: 'OrderEventsController.onPaid',
        kind: 'event',
        pattern: 'order.paid',
        queue: other,
      },
    ]);
  });
});
