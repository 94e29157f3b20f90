import { baseConfigSchema, configValidator } from '@app/platform';
import { orderService } from '@app/services';
import type { z } from 'zod';

export const orderConfigSchema = baseConfigSchema({
  port: orderService.port,
  serviceName: orderService.name,
});
export type OrderConfig = z.output<typeof orderConfigSchema>;
export const validateOrderConfig = configValidator(orderConfigSchema);
