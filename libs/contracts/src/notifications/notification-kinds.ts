import { OrderCancelled } from '../events/order-cancelled.event';
import { OrderCreated } from '../events/order-created.event';
import { OrderPaid } from '../events/order-paid.event';
import { PaymentRefunded } from '../events/payment-refunded.event';
import type { MessageContract } from '../message-contract';

/**
 * The notification the notification service records for each order event it consumes, by the
 * notification's kind (as GET /notifications shows it). Tests count an order's notifications
 * from this, so a new kind is added here once.
 */
export const NOTIFICATION_KIND_OF = {
  [OrderCreated.type]: 'order-received',
  [OrderPaid.type]: 'order-paid',
  [OrderCancelled.type]: 'order-cancelled',
  [PaymentRefunded.type]: 'order-refunded',
} as const;

export type NotifyingEvent = keyof typeof NOTIFICATION_KIND_OF;
export type NotificationKind = (typeof NOTIFICATION_KIND_OF)[NotifyingEvent];
/** Every kind, as a non-empty tuple (what a text enum column takes). */
export const NOTIFICATION_KINDS = Object.values(NOTIFICATION_KIND_OF) as [
  NotificationKind,
  ...NotificationKind[],
];

/** The channels a customer is notified on. */
export const NOTIFICATION_CHANNELS = ['email', 'sms'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/**
 * The order's confirmation: it goes out on every channel of the customer at once (a group of
 * delivery jobs); the other kinds go by e-mail.
 */
export const CONFIRMATION_KIND: NotificationKind = NOTIFICATION_KIND_OF[OrderCreated.type];

export function channelsOf(kind: NotificationKind): readonly NotificationChannel[] {
  return kind === CONFIRMATION_KIND ? NOTIFICATION_CHANNELS : ['email'];
}

/**
 * The notifications an order gets from these events of its life, in that order: one kind per
 * channel it goes out on.
 */
export function notificationKindsFor(events: readonly MessageContract[]): NotificationKind[] {
  return events
    .flatMap(({ type }) =>
      type in NOTIFICATION_KIND_OF ? [NOTIFICATION_KIND_OF[type as NotifyingEvent]] : [],
    )
    .flatMap((kind) => channelsOf(kind).map(() => kind));
}
