import { EVENTS_EXCHANGE } from '@app/contracts';
import {
  declareConsumerQueue,
  declareExchanges,
  declareRpcQueue,
  type QueueDefinition,
} from '@app/messaging';
import { isolate, type Isolation } from '@app/testing';
import type { ConfirmChannel } from 'amqplib';
import { createHash, randomBytes } from 'node:crypto';
import { type BrokerSetupConfig, validateBrokerSetupConfig } from '../src/broker-setup.config';
import { buildDefinitions } from '../src/definitions';
import { BrokerSetupError, ManagementApi } from '../src/management-api';
import { type ServiceName, SERVICE_NAMES, SERVICES } from '@app/services';
import { SERVICE_ACCOUNTS } from '../src/service-accounts';
import { servicePermissions, serviceTopicPermissions } from '../src/service-permissions';
import {
  adminManagementUrl,
  amqpOutcome,
  amqpUrlAs,
  deleteUsers,
  managementGet,
  publishConfirmed,
  vhostOf,
} from './broker-admin';

// Jest 30 reads testTimeout globally only, so jest.config.js's per-project 30 s does not apply.

const PASSWORDS = Object.fromEntries(
  SERVICE_NAMES.map((name) => [name, `${name}-${randomBytes(8).toString('hex')}`]),
) as Record<ServiceName, string>;
const ACCESS_REFUSED = /ACCESS.REFUSED/;
/** Logging in is the whole test. */
const connectOnly = () => Promise.resolve();

function configFor(vhost: string, prefix: string, passwords = PASSWORDS): BrokerSetupConfig {
  return validateBrokerSetupConfig({
    RABBITMQ_MANAGEMENT_URL: adminManagementUrl(),
    RABBITMQ_VHOST: vhost,
    RABBITMQ_USER_PREFIX: prefix,
    ...Object.fromEntries(
      SERVICES.map(({ name, broker }) => [broker.passwordVariable, passwords[name]]),
    ),
  });
}

/**
 * Declares a queue as the service's consumer does at start, then consumes it. A consumer queue
 * is bound once per type its handlers take; any type asks the same permissions.
 */
async function declareAndConsume(channel: ConfirmChannel, queue: QueueDefinition): Promise<void> {
  if (queue.kind === 'consumer') {
    await declareConsumerQueue(channel, queue, [1000, 5000], {}, ['some.event']);
  } else await declareRpcQueue(channel, queue);
  await channel.consume(queue.name, () => undefined);
}

describe('broker-setup apply, against RabbitMQ', () => {
  const prefix = `t${randomBytes(4).toString('hex')}-`;
  const created: string[] = [];
  let isolation: Isolation;
  let vhost: string;
  let api: ManagementApi;

  const userOf = (service: ServiceName) => `${prefix}${service}`;
  const urlAs = (service: ServiceName, password = PASSWORDS[service]) =>
    amqpUrlAs(isolation.env.RABBITMQ_URL, userOf(service), password);

  beforeAll(async () => {
    isolation = await isolate('broker-setup');
    vhost = vhostOf(isolation.env.RABBITMQ_URL);
    const config = configFor(vhost, prefix);
    created.push(...SERVICE_ACCOUNTS.map((account) => userOf(account.service)));
    api = new ManagementApi(config.RABBITMQ_MANAGEMENT_URL);
    await api.apply(vhost, buildDefinitions(config));
  });

  afterAll(async () => {
    await deleteUsers(created);
    await isolation?.dispose();
  });

  it.each(SERVICE_ACCOUNTS.map((account) => account.service))(
    'creates %s as an untagged user whose stored hash is the sha256 of its password',
    async (service) => {
      const user = (await managementGet(`users/${userOf(service)}`)) as Record<string, unknown>;
      expect(user).toMatchObject({ hashing_algorithm: 'rabbit_password_hashing_sha256', tags: [] });
      const stored = Buffer.from(user.password_hash as string, 'base64');
      const digest = createHash('sha256')
        .update(Buffer.concat([stored.subarray(0, 4), Buffer.from(PASSWORDS[service])]))
        .digest();
      expect(stored.subarray(4).equals(digest)).toBe(true);
    },
  );

  it.each(SERVICE_ACCOUNTS)(
    'grants $service its computed permissions and topic permissions on the test virtual host, and nowhere else',
    async (account) => {
      const permissions = await managementGet(`users/${userOf(account.service)}/permissions`);
      expect(permissions).toEqual([
        { user: userOf(account.service), vhost, ...servicePermissions(account) },
      ]);
      const topics = await managementGet(`users/${userOf(account.service)}/topic-permissions`);
      expect(topics).toEqual(
        serviceTopicPermissions(account).map((topic) => ({
          user: userOf(account.service),
          vhost,
          ...topic,
        })),
      );
    },
  );

  it.each(SERVICE_ACCOUNTS)(
    'lets $service declare and consume its own topology as its service does, and use direct reply-to',
    async (account) => {
      const outcome = await amqpOutcome(urlAs(account.service), async (channel) => {
        await declareExchanges(channel);
        for (const queue of Object.values(account.topology.queues)) {
          await declareAndConsume(channel, queue);
        }
        await channel.consume('amq.rabbitmq.reply-to', () => undefined, { noAck: true });
        // Retry and dead-letter copies, replies and delivery jobs go through the default exchange.
        const [first] = Object.values(account.topology.queues);
        await publishConfirmed(channel, '', `${first.name}.dlq`);
        for (const exchange of account.publishesTo.filter((name) => name !== EVENTS_EXCHANGE)) {
          await publishConfirmed(channel, exchange, `${first.name}.dlq`);
        }
        for (const type of account.publishesEvents) {
          await publishConfirmed(channel, EVENTS_EXCHANGE, type);
        }
      });
      expect(outcome).toBe('ok');
    },
  );

  it.each<[string, ServiceName, (channel: ConfirmChannel) => Promise<unknown>]>([
    [
      'payment consuming order.payment-results',
      'payment',
      (channel) => channel.consume('order.payment-results', () => undefined),
    ],
    [
      'notification publishing to events',
      'notification',
      (channel) => publishConfirmed(channel, 'events', 'order.created'),
    ],
    [
      'notification publishing to rpc',
      'notification',
      (channel) => publishConfirmed(channel, 'rpc', 'payment.get-by-order'),
    ],
    [
      'payment publishing to rpc',
      'payment',
      (channel) => publishConfirmed(channel, 'rpc', 'payment.get-by-order'),
    ],
    [
      'order declaring payment.order-created',
      'order',
      (channel) => channel.assertQueue('payment.order-created', { durable: true }),
    ],
    [
      'order binding its queue to rpc',
      'order',
      (channel) => channel.bindQueue('order.payment-results', 'rpc', 'anything'),
    ],
    [
      'notification reading payment.get-by-order.dlq',
      'notification',
      (channel) => channel.get('payment.get-by-order.dlq'),
    ],
    [
      'payment publishing a forged order.created on events',
      'payment',
      (channel) => publishConfirmed(channel, 'events', 'order.created'),
    ],
    [
      'order publishing a forged payment.succeeded on events',
      'order',
      (channel) => publishConfirmed(channel, 'events', 'payment.succeeded'),
    ],
    [
      'order publishing a routing key outside its event types on events',
      'order',
      (channel) => publishConfirmed(channel, 'events', 'order.created.x'),
    ],
    [
      'payment declaring an exchange of its own',
      'payment',
      (channel) => channel.assertExchange('payment.audit', 'fanout'),
    ],
  ])('refuses %s', async (_, service, work) => {
    expect(await amqpOutcome(urlAs(service), work)).toMatch(ACCESS_REFUSED);
  });

  it('leaves other users as they were: the administrator keeps its access', async () => {
    const admin = (await managementGet(`permissions/${encodeURIComponent(vhost)}/guest`)) as
      Record<string, unknown> | undefined;
    expect(admin).toMatchObject({ configure: '.*', write: '.*', read: '.*' });
  });

  it('can run again, and a changed password replaces the old one', async () => {
    const changed = { ...PASSWORDS, payment: `payment-${randomBytes(8).toString('hex')}` };
    await api.apply(vhost, buildDefinitions(configFor(vhost, prefix, changed)));
    expect(await amqpOutcome(urlAs('payment', changed.payment), connectOnly)).toBe('ok');
    await expect(amqpOutcome(urlAs('payment'), connectOnly)).rejects.toThrow(ACCESS_REFUSED);
    expect(await amqpOutcome(urlAs('order'), connectOnly)).toBe('ok');
  });

  it('stops at a missing virtual host before creating any user', async () => {
    const otherPrefix = `t${randomBytes(4).toString('hex')}-`;
    const missing = `missing-${otherPrefix}`;
    const definitions = buildDefinitions(configFor(missing, otherPrefix));
    created.push(...definitions.users.map((user) => user.name));
    await expect(api.apply(missing, definitions)).rejects.toThrow(
      new BrokerSetupError(
        `RabbitMQ has no virtual host "${missing}": create it or set RABBITMQ_VHOST`,
      ),
    );
    expect(await managementGet(`users/${otherPrefix}order`)).toBeUndefined();
  });

  it('names a refused admin login in one line, without the password', async () => {
    const url = new URL(adminManagementUrl());
    url.password = 'Wr0ng-Admin-Secret';
    const failure = new ManagementApi(url.toString()).apply(
      vhost,
      buildDefinitions(configFor(vhost, prefix)),
    );
    await expect(failure).rejects.toThrow(
      /refused the credentials of RABBITMQ_MANAGEMENT_URL \(401\)$/,
    );
    await expect(failure).rejects.not.toThrow(/Wr0ng-Admin-Secret|\n/);
  });
});
