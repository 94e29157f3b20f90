import { type ServiceName, SERVICE_NAMES } from '@app/services';
// The deployment files must agree with the services' own config schemas: read them from the apps.
import {
  notificationConfigSchema,
  validateNotificationConfig,
} from '../../apps/notification/src/notification.config';
import { orderConfigSchema, validateOrderConfig } from '../../apps/order/src/order.config';
import { paymentConfigSchema, validatePaymentConfig } from '../../apps/payment/src/payment.config';

/** The application services (the service registry's), and what each one's config schema knows and makes of an env. */

export const APPS: readonly ServiceName[] = SERVICE_NAMES;

export interface AppConfig {
  PORT: number;
  SHUTDOWN_TIMEOUT_MS: number;
  RABBITMQ_URL: string;
  DATABASE_URL: string;
  LOG_FORMAT: string;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
}

export const CONFIG: Record<
  ServiceName,
  { keys: string[]; validate: (env: Record<string, unknown>) => AppConfig }
> = {
  order: { keys: Object.keys(orderConfigSchema.shape), validate: validateOrderConfig },
  payment: { keys: Object.keys(paymentConfigSchema.shape), validate: validatePaymentConfig },
  notification: {
    keys: Object.keys(notificationConfigSchema.shape),
    validate: validateNotificationConfig,
  },
};
