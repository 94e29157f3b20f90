import { z } from 'zod';
import { defineMessage, type PayloadOf } from '../message-contract';

/** A delivery job on the `notification.deliver` work queue: send one recorded notification. */
export const DeliverNotification = defineMessage(
  'notification.deliver',
  z.object({ notificationId: z.uuid() }),
);
export type DeliverNotification = PayloadOf<typeof DeliverNotification>;
