import type { ServiceName } from '@app/services';
import { serviceTopicPermissions } from './service-permissions';
import { accountOf } from './service-permissions.fixture';

describe('serviceTopicPermissions', () => {
  const writeOf = (service: ServiceName) => {
    const [events] = serviceTopicPermissions(accountOf(service));
    expect(events.exchange).toBe('events');
    return new RegExp(events.write);
  };

  it.each<[ServiceName, string[], string[]]>([
    [
      'order',
      ['order.created', 'order.paid', 'order.cancelled'],
      ['payment.succeeded', 'order.createdX', 'orderXcreated', 'order.*', 'x.order.paid', ''],
    ],
    [
      'payment',
      ['payment.succeeded', 'payment.failed'],
      ['order.created', 'payment.succeeded.x', 'payment.#', ''],
    ],
    ['notification', [], ['order.created', 'notification.deliver', 'x']],
  ])('lets %s publish its own event types only', (service, allows, refuses) => {
    const write = writeOf(service);
    for (const key of allows) expect(write.test(key)).toBe(true);
    for (const key of refuses) expect(write.test(key)).toBe(false);
  });
});
