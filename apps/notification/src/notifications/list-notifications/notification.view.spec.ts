import type { NotificationRow } from '../../db/notification.tables';
import { toNotificationView } from './notification.view';

const row: NotificationRow = {
  id: '9b2f3c1e-4d5a-4b6c-8d7e-0f1a2b3c4d5e',
  orderId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  kind: 'order-received',
  channel: 'email',
  status: 'PENDING',
  attempts: 0,
  createdAt: new Date('2026-11-05T10:00:00.000Z'),
  deliveredAt: null,
};

describe('toNotificationView', () => {
  it('shows an undelivered notification with deliveredAt null', () => {
    expect(toNotificationView(row)).toStrictEqual({
      id: '9b2f3c1e-4d5a-4b6c-8d7e-0f1a2b3c4d5e',
      orderId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      kind: 'order-received',
      channel: 'email',
      status: 'PENDING',
      attempts: 0,
      createdAt: '2026-11-05T10:00:00.000Z',
      deliveredAt: null,
    });
  });

  it('keeps deliveredAt null in the JSON body rather than dropping it', () => {
    expect(JSON.parse(JSON.stringify(toNotificationView(row)))).toHaveProperty('deliveredAt', null);
  });

  it('shows a delivered notification with an ISO-8601 deliveredAt', () => {
    const view = toNotificationView({
      ...row,
      status: 'DELIVERED',
      attempts: 2,
      deliveredAt: new Date('2026-11-05T10:00:07.500Z'),
    });

    expect(view).toMatchObject({
      status: 'DELIVERED',
      attempts: 2,
      deliveredAt: '2026-11-05T10:00:07.500Z',
    });
  });
});
