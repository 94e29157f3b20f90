import type { ServiceDefinition } from './service-definition';
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

/** The services `name` starts after, as its definition names them. */
export function startsAfter(name: ServiceName): readonly ServiceName[] {
  const definition: ServiceDefinition = serviceNamed(name);
  return (definition.startsAfter ?? []) as readonly ServiceName[];
}

/**
 * The services to start, in waves: each wave after every service its members start after
 * (those left out are taken as started already).
 */
export function startWaves(names: readonly ServiceName[]): ServiceName[][] {
  const waves: ServiceName[][] = [];
  let waiting = [...names];
  while (waiting.length > 0) {
    const ready = waiting.filter((name) =>
      startsAfter(name).every((other) => !waiting.includes(other)),
    );
    if (ready.length === 0) {
      throw new Error(`Services that start after each other: ${waiting.join(', ')}`);
    }
    waves.push(ready);
    waiting = waiting.filter((name) => !ready.includes(name));
  }
  return waves;
}

export function serviceNamed<N extends ServiceName>(
  name: N,
): Extract<RegisteredService, { name: N }> {
  const found = SERVICES.find(
    (service): service is Extract<RegisteredService, { name: N }> => service.name === name,
  );
  if (!found) throw new Error(`No service named ${name}`);
  return found;
}
