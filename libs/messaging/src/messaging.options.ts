import type { ServiceTopology } from './topology/topology';

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingModuleOptions {
  /** Becomes the `appId` of every message and the AMQP connection name. */
  service: string;
  topology: ServiceTopology;
  /**
   * The message types the service publishes (its definition's `publishedTypes`): their metric
   * series are kept however many other types reach its queues first.
   */
  publishes: readonly string[];
}
