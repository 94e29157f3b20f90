import { type BrokerSetupConfig, passwordOf } from './broker-setup.config';
import { HASHING_ALGORITHM, rabbitPasswordHash } from './password-hash';
import { SERVICE_ACCOUNTS, type ServiceAccount, serviceUserName } from './service-accounts';
import {
  type Permissions,
  servicePermissions,
  serviceTopicPermissions,
  type TopicPermissions,
} from './service-permissions';

export interface UserDefinition {
  name: string;
  password_hash: string;
  hashing_algorithm: typeof HASHING_ALGORITHM;
  /** No tags: the services need neither the management UI nor the HTTP API. */
  tags: string[];
}

export interface PermissionDefinition extends Permissions {
  user: string;
  vhost: string;
}

export interface TopicPermissionDefinition extends TopicPermissions {
  user: string;
  vhost: string;
}

/** The users and permissions part of RabbitMQ's definitions format (GET/POST /api/definitions). */
export interface Definitions {
  users: UserDefinition[];
  permissions: PermissionDefinition[];
  topic_permissions: TopicPermissionDefinition[];
}

/** One user per service, with a fresh salt per hash, allowed only what its topology needs. */
export function buildDefinitions(
  config: BrokerSetupConfig,
  accounts: readonly ServiceAccount[] = SERVICE_ACCOUNTS,
): Definitions {
  const userOf = (account: ServiceAccount) =>
    serviceUserName(config.RABBITMQ_USER_PREFIX, account.service);
  return {
    users: accounts.map((account) => ({
      name: userOf(account),
      password_hash: rabbitPasswordHash(passwordOf(config, account.service)),
      hashing_algorithm: HASHING_ALGORITHM,
      tags: [],
    })),
    permissions: accounts.map((account) => ({
      user: userOf(account),
      vhost: config.RABBITMQ_VHOST,
      ...servicePermissions(account),
    })),
    topic_permissions: accounts.flatMap((account) =>
      serviceTopicPermissions(account).map((topic) => ({
        user: userOf(account),
        vhost: config.RABBITMQ_VHOST,
        ...topic,
      })),
    ),
  };
}
