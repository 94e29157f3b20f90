// Shared by the service-permissions.*.spec.ts files.
import type { ServiceName } from '@app/services';
import { SERVICE_ACCOUNTS, type ServiceAccount } from './service-accounts';

/** A registry service's account (SERVICE_ACCOUNTS), the one broker-setup applies. */
export function accountOf(service: ServiceName): ServiceAccount {
  const account = SERVICE_ACCOUNTS.find((candidate) => candidate.service === service);
  if (!account) throw new Error(`No account for ${service}`);
  return account;
}
