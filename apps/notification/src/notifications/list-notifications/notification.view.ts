import type {
  NotificationKind,
  NotificationRow,
  NotificationStatus,
} from '../../db/notification.tables';

export interface NotificationView {
  id: string;
  orderId: string;
  kind: NotificationKind;
  channel: string;
  status: NotificationStatus;
  attempts: number;
  createdAt: string;
  deliveredAt: string | null;
}

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
