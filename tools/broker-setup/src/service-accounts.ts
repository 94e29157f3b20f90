import { EVENTS_EXCHANGE } from '@app/contracts';
import {
  publishedExchanges,
  type ServiceDefinition,
  type ServiceName,
  SERVICES,
} from '@app/services';
import type { ServiceAccess } from './service-permissions';

export interface ServiceAccount extends ServiceAccess {
  service: ServiceName;
}

/** A service's account: what it consumes (its topology) and publishes, from its definition. */
export function serviceAccount(service: ServiceDefinition & { name: ServiceName }): ServiceAccount {
  const published = publishedExchanges(service);
  return {
    service: service.name,
    topology: service.topology,
    publishesTo: published.map(({ exchange }) => exchange),
    publishesEvents:
      published.find(({ exchange }) => exchange === EVENTS_EXCHANGE)?.routingKeys ?? [],
  };
}

/** One RabbitMQ user per service of the registry. */
export const SERVICE_ACCOUNTS: readonly ServiceAccount[] = SERVICES.map(serviceAccount);

/** The user a service connects as; the prefix keeps test users apart from real ones. */
export function serviceUserName(prefix: string, service: ServiceName): string {
  return `${prefix}${service}`;
}
