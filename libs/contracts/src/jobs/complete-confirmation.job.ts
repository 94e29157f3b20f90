import { z } from 'zod';
import { defineMessage, type PayloadOf } from '../message-contract';

/**
 * A job on the `notification.deliver` work queue: the order's confirmation has reached every
 * channel of its customer; record it complete. The callback of the chord of its deliveries.
 */
export const CompleteConfirmation = defineMessage(
  'notification.complete-confirmation',
  z.object({ orderId: z.uuid() }),
);
export type CompleteConfirmation = PayloadOf<typeof CompleteConfirmation>;
