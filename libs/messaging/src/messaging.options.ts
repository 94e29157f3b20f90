import type { ServiceTopology } from './topology/topology';

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingModuleOptions {
  /** Becomes the `appId` of every message and the AMQP connection name. */
  service: string;
  topology: ServiceTopology;
  /** Largest message body accepted on publish and consume. */
  maxMessageBytes?: number;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;
