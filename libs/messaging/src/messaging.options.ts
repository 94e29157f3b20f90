import type { ServiceTopology } from './topology/topology';

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingModuleOptions {
  /** Becomes the `appId` of every message and the AMQP connection name. */
  service: string;
  topology: ServiceTopology;
}
