import { baseConfigSchema, configValidator, envUrl, envUrlList } from '@app/platform';
import { z } from 'zod';

/** The services' setting, read the same way: events older than it are not replayed. */
const { INBOX_RETENTION_HOURS } = baseConfigSchema({ port: 0, serviceName: 'replay' }).shape;

export const replayConfigSchema = z.object({
  INBOX_RETENTION_HOURS,
  RABBITMQ_URL: envUrlList(['amqp:', 'amqps:']).default('amqp://guest:guest@localhost:5672'),
  /** Asked only without --type, for the event types the target queue is bound to. */
  RABBITMQ_MANAGEMENT_URL: envUrl(['http:', 'https:']).default(
    'http://guest:guest@localhost:15672',
  ),
});

export type ReplayConfig = z.output<typeof replayConfigSchema>;

export const validateReplayConfig = configValidator(replayConfigSchema);

/** The tool's only read of its environment; the rest of it works with the validated config. */
export function loadReplayConfig(): ReplayConfig {
  // A CLI has no ConfigModule to hand it the environment, so this is the one direct read.
  // eslint-disable-next-line no-restricted-properties
  return validateReplayConfig(process.env);
}
