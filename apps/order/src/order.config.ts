import { baseConfigSchema, configValidator, envInteger } from '@app/platform';
import { orderService } from '@app/services';
import type { z } from 'zod';

export const orderConfigSchema = baseConfigSchema({
  port: orderService.port,
  serviceName: orderService.name,
}).extend({
  /** An order still PENDING this long after it was placed is cancelled (`payment_timeout`). */
  ORDER_PAYMENT_TIMEOUT_MS: envInteger({ min: 1 }).default(900_000),
});
export type OrderConfig = z.output<typeof orderConfigSchema>;
export const validateOrderConfig = configValidator(orderConfigSchema);
