import { configValidator, envUrl, envUrlList } from '@app/platform';
import { z } from 'zod';

export const dlqConfigSchema = z.object({
  RABBITMQ_URL: envUrlList(['amqp:', 'amqps:']).default('amqp://guest:guest@localhost:5672'),
  /** Read by `unacked` only: which consumer holds what is no AMQP question. */
  RABBITMQ_MANAGEMENT_URL: envUrl(['http:', 'https:']).default(
    'http://guest:guest@localhost:15672',
  ),
});

export type DlqConfig = z.output<typeof dlqConfigSchema>;

export const validateDlqConfig = configValidator(dlqConfigSchema);

/** The tool's only read of its environment; the rest of it works with the validated config. */
export function loadDlqConfig(): DlqConfig {
  // A CLI has no ConfigModule to hand it the environment, so this is the one direct read.
  // eslint-disable-next-line no-restricted-properties
  return validateDlqConfig(process.env);
}
