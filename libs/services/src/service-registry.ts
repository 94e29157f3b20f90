import { notificationService } from './notification.service-definition';
import { orderService } from './order.service-definition';
import { paymentService } from './payment.service-definition';

/**
 * Every service of the system: the one list the tools (dlq, broker-setup), the tests, the
 * deployment checks and the bench read. A new service is its definition added here and its app.
 */
export const SERVICES = [orderService, paymentService, notificationService] as const;

export type RegisteredService = (typeof SERVICES)[number];
export type ServiceName = RegisteredService['name'];

export const SERVICE_NAMES: readonly ServiceName[] = SERVICES.map((service) => service.name);

export function serviceNamed<N extends ServiceName>(
  name: N,
): Extract<RegisteredService, { name: N }> {
  const found = SERVICES.find(
    (service): service is Extract<RegisteredService, { name: N }> => service.name === name,
  );
  if (!found) throw new Error(`No service named ${name}`);
  return found;
}
