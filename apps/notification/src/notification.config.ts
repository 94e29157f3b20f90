import { baseConfigSchema, configValidator, envRate } from '@app/platform';
import { notificationService } from '@app/services';
import type { z } from 'zod';

export const notificationConfigSchema = baseConfigSchema({
  port: notificationService.port,
  serviceName: notificationService.name,
}).extend({
  /** Share of deliveries (0..1) on which the fake sender fails transiently, to exercise retries. */
  NOTIFICATION_TRANSIENT_FAILURE_RATE: envRate().default(0),
});
export type NotificationConfig = z.output<typeof notificationConfigSchema>;
export const validateNotificationConfig = configValidator(notificationConfigSchema);
