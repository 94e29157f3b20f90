import { baseConfigSchema, configValidator, envUrl } from '@app/platform';
import { z } from 'zod';
import type { TopologySettings } from './declared/declared-topology';

/**
 * The broker, and the service settings that shape the topology, read as the services read them:
 * run the check with the services' RETRY_DELAYS_MS and QUORUM_INITIAL_GROUP_SIZE.
 */
export const topologyConfigSchema = baseConfigSchema({ port: 0, serviceName: 'topology' })
  .pick({
    RABBITMQ_URL: true,
    RETRY_DELAYS_MS: true,
    QUORUM_INITIAL_GROUP_SIZE: true,
    QUEUE_MAX_LENGTH: true,
    EVENT_LOG_MAX_AGE: true,
  })
  .extend({
    /** Unset: port 15672 on the first broker node's host, with its credentials. */
    RABBITMQ_MANAGEMENT_URL: envUrl(['http:', 'https:']).optional(),
  });

export type TopologyConfig = z.output<typeof topologyConfigSchema>;

export const validateTopologyConfig = configValidator(topologyConfigSchema);

export function topologySettings(config: TopologyConfig): TopologySettings {
  return {
    retryDelaysMs: config.RETRY_DELAYS_MS,
    quorumInitialGroupSize: config.QUORUM_INITIAL_GROUP_SIZE,
    queueMaxLength: config.QUEUE_MAX_LENGTH,
    eventLogMaxAge: config.EVENT_LOG_MAX_AGE,
  };
}

/** The services' defaults: what the committed AsyncAPI document describes. */
export const DEFAULT_TOPOLOGY_SETTINGS = topologySettings(validateTopologyConfig({}));

/** The tool's only read of its environment; the rest of it works with the validated config. */
export function loadTopologyConfig(): TopologyConfig {
  // A CLI has no ConfigModule to hand it the environment, so this is the one direct read.
  // eslint-disable-next-line no-restricted-properties
  return validateTopologyConfig(process.env);
}
