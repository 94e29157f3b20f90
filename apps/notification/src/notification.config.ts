import { NOTIFICATION_CHANNELS, type NotificationChannel } from '@app/contracts';
import { baseConfigSchema, configValidator, envRate } from '@app/platform';
import { notificationService } from '@app/services';
import { z } from 'zod';

const isChannel = (name: string): name is NotificationChannel =>
  (NOTIFICATION_CHANNELS as readonly string[]).includes(name);

/** A comma-separated list of notification channels, each named once at most. */
const envChannels = () =>
  z
    .string()
    .trim()
    .transform((value, context) => {
      const names = value.split(',').map((name) => name.trim());
      if (names.every(isChannel) && new Set(names).size === names.length) return names;
      const unknown = names.find((name) => !isChannel(name));
      const problem = unknown === undefined ? 'names a channel twice' : `"${unknown}" is none`;
      context.addIssue({
        code: 'custom',
        message: `must be a comma-separated list of channels (${NOTIFICATION_CHANNELS.join(', ')}): ${problem}`,
      });
      return z.NEVER;
    });

export const notificationConfigSchema = baseConfigSchema({
  port: notificationService.port,
  serviceName: notificationService.name,
}).extend({
  /** Share of deliveries (0..1) on which the fake sender fails transiently, to exercise retries. */
  NOTIFICATION_TRANSIENT_FAILURE_RATE: envRate().default(0),
  /**
   * Channels on which the fake sender refuses every notification for good (no such mailbox), to
   * exercise permanent errors: the delivery job is dead-lettered at once.
   */
  NOTIFICATION_UNDELIVERABLE_CHANNELS: envChannels().default([]),
});
export type NotificationConfig = z.output<typeof notificationConfigSchema>;
export const validateNotificationConfig = configValidator(notificationConfigSchema);
