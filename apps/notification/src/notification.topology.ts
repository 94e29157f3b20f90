import { withFailurePolicies } from '@app/messaging';
import { notificationService } from '@app/services';
import { ConfirmationNotFoundError } from './notifications/confirm-order/confirmation-not-found.error';
import { NotificationNotFoundError } from './notifications/notification-not-found.error';
import { UndeliverableNotificationError } from './sender/notification-sender';

/**
 * What the notification service consumes (its queues, in its definition in @app/services) and how
 * its errors fail a message. Handlers point here; the bindings follow from them.
 */
export const notificationTopology = withFailurePolicies(notificationService.topology, {
  queues: {
    // A job for a notification (or confirmation) never recorded, or one its channel refuses, can
    // never succeed.
    deliveries: {
      permanent: [
        NotificationNotFoundError,
        UndeliverableNotificationError,
        ConfirmationNotFoundError,
      ],
    },
  },
});
