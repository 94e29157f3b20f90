import { EVENTS_EXCHANGE } from '@app/contracts';
import { consumerQueue, defineTopology } from '@app/messaging';
import { NotificationNotFoundError } from './notifications/notification-not-found.error';
import { UndeliverableNotificationError } from './sender/notification-sender';

/** Everything the notification service consumes, and how. Handlers point here; the bindings follow from them. */
export const notificationTopology = defineTopology({
  service: 'notification',
  queues: {
    orderEvents: consumerQueue({
      name: 'notification.order-events',
      exchange: EVENTS_EXCHANGE,
      prefetch: 10,
    }),
    /** A work queue of delivery jobs, sent straight to it; workers compete for them. */
    deliveries: consumerQueue({
      name: 'notification.deliver',
      prefetch: 5,
      // A job for a notification never recorded, or one its channel refuses, can never succeed.
      failures: { permanent: [NotificationNotFoundError, UndeliverableNotificationError] },
    }),
  },
});
