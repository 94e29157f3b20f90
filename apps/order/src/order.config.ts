import { baseConfigSchema, configValidator, envInteger, retentionHours } from '@app/platform';
import { orderService } from '@app/services';
import type { z } from 'zod';

export const orderConfigSchema = baseConfigSchema({
  port: orderService.port,
  serviceName: orderService.name,
}).extend({
  /** An order still PENDING this long after it was placed is cancelled (`payment_timeout`). */
  ORDER_PAYMENT_TIMEOUT_MS: envInteger({ min: 1 }).default(900_000),
  /**
   * An Idempotency-Key is remembered this long after its first use, then pruned: a repeat later
   * than that places a new order. Keep it longer than any client goes on retrying a request.
   */
  IDEMPOTENCY_KEY_RETENTION_HOURS: retentionHours().default(720),
});
export type OrderConfig = z.output<typeof orderConfigSchema>;
export const validateOrderConfig = configValidator(orderConfigSchema);
