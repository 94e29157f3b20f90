import { baseConfigSchema, configValidator } from '@app/platform';
import type { z } from 'zod';

export const orderConfigSchema = baseConfigSchema({ port: 3000, serviceName: 'order' });
export type OrderConfig = z.output<typeof orderConfigSchema>;
export const validateOrderConfig = configValidator(orderConfigSchema);
