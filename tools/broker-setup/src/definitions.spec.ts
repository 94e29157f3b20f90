import { SERVICES } from '@app/services';
import { createHash } from 'node:crypto';
import { validateBrokerSetupConfig } from './broker-setup.config';
import { buildDefinitions } from './definitions';
import { SERVICE_ACCOUNTS } from './service-accounts';
import { servicePermissions } from './service-permissions';

const passwords = {
  // Every registered service's (a generated one's too); the seed's are checked by name below.
  ...Object.fromEntries(
    SERVICES.map((service) => [service.broker.passwordVariable, `${service.name}-Secret-1`]),
  ),
  ORDER_RABBITMQ_PASSWORD: 'order-Secret-1',
  PAYMENT_RABBITMQ_PASSWORD: 'payment-Secret-1',
  NOTIFICATION_RABBITMQ_PASSWORD: 'notification-Secret-1',
};
const config = validateBrokerSetupConfig({
  ...passwords,
  RABBITMQ_VHOST: 'shop',
  RABBITMQ_USER_PREFIX: 'test-',
});

function hashMatches(hash: string, password: string): boolean {
  const bytes = Buffer.from(hash, 'base64');
  const digest = createHash('sha256')
    .update(Buffer.concat([bytes.subarray(0, 4), Buffer.from(password)]))
    .digest();
  return bytes.subarray(4).equals(digest);
}

describe('buildDefinitions', () => {
  const definitions = buildDefinitions(config);

  it('has one untagged user per service, named with the prefix, hashing its own password', () => {
    expect(definitions.users.map((user) => user.name)).toEqual(
      SERVICES.map((service) => `test-${service.name}`),
    );
    for (const user of definitions.users) {
      expect(user).toMatchObject({ hashing_algorithm: 'rabbit_password_hashing_sha256', tags: [] });
    }
    const [order, payment, notification] = definitions.users;
    expect(hashMatches(order.password_hash, passwords.ORDER_RABBITMQ_PASSWORD)).toBe(true);
    expect(hashMatches(payment.password_hash, passwords.PAYMENT_RABBITMQ_PASSWORD)).toBe(true);
    expect(hashMatches(payment.password_hash, passwords.ORDER_RABBITMQ_PASSWORD)).toBe(false);
    expect(hashMatches(notification.password_hash, passwords.NOTIFICATION_RABBITMQ_PASSWORD)).toBe(
      true,
    );
  });

  it("gives each user its service's permissions on the configured virtual host", () => {
    expect(definitions.permissions).toEqual(
      SERVICE_ACCOUNTS.map((account) => ({
        user: `test-${account.service}`,
        vhost: 'shop',
        ...servicePermissions(account),
      })),
    );
  });

  it('lets each user publish on the events exchange only the event types it owns', () => {
    // The seed's three first; a generated service publishes nothing until its definition says so.
    expect(definitions.topic_permissions.slice(0, 3)).toEqual([
      {
        user: 'test-order',
        vhost: 'shop',
        exchange: 'events',
        write: '^(?:order\\.created|order\\.paid|order\\.cancelled|payment\\.refund-requested)$',
        read: '.*',
      },
      {
        user: 'test-payment',
        vhost: 'shop',
        exchange: 'events',
        write: '^(?:payment\\.succeeded|payment\\.failed|payment\\.refunded)$',
        read: '.*',
      },
      { user: 'test-notification', vhost: 'shop', exchange: 'events', write: '^$', read: '.*' },
    ]);
    expect(definitions.topic_permissions).toHaveLength(SERVICES.length);
  });

  it('never contains a password itself', () => {
    const text = JSON.stringify(definitions);
    for (const password of Object.values(passwords)) expect(text).not.toContain(password);
  });
});
