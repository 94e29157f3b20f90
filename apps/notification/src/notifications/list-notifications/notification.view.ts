import { NOTIFICATION_KINDS } from '@app/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { NOTIFICATION_STATUSES, type NotificationRow } from '../../db/notification.tables';

/** A notification as GET /notifications shows it (DESIGN §2). */
export const notificationView = z.object({
  id: z.uuid(),
  orderId: z.uuid(),
  kind: z.enum(NOTIFICATION_KINDS),
  channel: z.string().meta({ examples: ['email'] }),
  status: z.enum(NOTIFICATION_STATUSES),
  attempts: z.int().min(0).meta({ description: 'Delivery attempts so far' }),
  createdAt: z.iso.datetime(),
  deliveredAt: z.iso.datetime().nullable(),
});

export type NotificationView = z.output<typeof notificationView>;
export class NotificationDto extends createZodDto(notificationView) {}

export function toNotificationView(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    orderId: row.orderId,
    kind: row.kind,
    channel: row.channel,
    status: row.status,
    attempts: row.attempts,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}
