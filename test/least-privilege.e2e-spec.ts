import { type ServiceName, SERVICE_NAMES, SERVICES } from '@app/services';
import { EVENTS_EXCHANGE } from '@app/contracts';
import { AmqpTestClient, isolate, type Isolation, ServiceProcess, waitFor } from '@app/testing';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import {
  adminManagementUrl,
  amqpOutcome,
  amqpUrlAs,
  basicAuthorization,
  deleteUsers,
  managementLocation,
  publishConfirmed,
  vhostOf,
} from '../tools/broker-setup/test/broker-admin';
import { anOrder, PAID_ORDER_NOTIFICATIONS } from './support/stack';

/**
 * The compose set-up, as processes: the built broker-setup tool gives each service a user of
 * its own, and the built services run the whole order flow as those users.
 */

// Jest 30 reads testTimeout globally only, so jest.config.js's per-project 60 s does not apply.

const ROOT = join(__dirname, '..');
const PREFIX = `lp${randomBytes(4).toString('hex')}-`;
const PASSWORDS = Object.fromEntries(
  SERVICE_NAMES.map((service) => [service, `${service}-${randomBytes(12).toString('hex')}`]),
) as Record<ServiceName, string>;
const ACCESS_REFUSED = /ACCESS.REFUSED/;

/** Runs `npm run broker:setup -- apply` as built, and resolves with its exit code and output. */
function applyBrokerSetup(vhost: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/tools/broker-setup/main.js'), 'apply'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      RABBITMQ_MANAGEMENT_URL: adminManagementUrl(),
      RABBITMQ_VHOST: vhost,
      RABBITMQ_USER_PREFIX: PREFIX,
      ...Object.fromEntries(
        SERVICES.map(({ name, broker }) => [broker.passwordVariable, PASSWORDS[name]]),
      ),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe('Each service as its own least-privileged RabbitMQ user (built tool and services)', () => {
  let isolation: Isolation;
  let setup: { code: number | null; output: string };
  const running: ServiceProcess[] = [];
  const services = {} as Record<ServiceName, ServiceProcess>;

  const urlAs = (service: ServiceName, password = PASSWORDS[service]) =>
    amqpUrlAs(isolation.env.RABBITMQ_URL, `${PREFIX}${service}`, password);

  async function launch(service: ServiceName, password?: string): Promise<ServiceProcess> {
    const started = await ServiceProcess.start(service, {
      ...isolation.env,
      RETRY_DELAYS_MS: '200,400',
      RABBITMQ_URL: urlAs(service, password),
    });
    running.push(started);
    return started;
  }

  beforeAll(async () => {
    isolation = await isolate('least-privilege');
    setup = await applyBrokerSetup(vhostOf(isolation.env.RABBITMQ_URL));
    if (setup.code !== 0) throw new Error(`broker-setup apply failed: ${setup.output}`);
    try {
      // Consumers first, as in docker-compose: their queues exist before order's first event.
      const consumers = SERVICE_NAMES.filter((name) => name !== 'order');
      await Promise.all(
        consumers.map(async (name) => (services[name] = await (await launch(name)).ready())),
      );
      services.order = await (await launch('order')).ready();
    } catch (error) {
      // A refused permission shows in the services' logs, not in a readiness timeout.
      const logs = running.flatMap((service) =>
        service.logs.map((line) => `[${service.name}] ${line}`),
      );
      throw new Error(`${String(error)}\n--- recent logs ---\n${logs.slice(-30).join('\n')}`, {
        cause: error,
      });
    }
  });

  afterAll(async () => {
    await Promise.all(running.map((service) => service.stop()));
    await deleteUsers(SERVICE_NAMES.map((service) => `${PREFIX}${service}`));
    await isolation?.dispose();
  });

  it('creates the users with the built tool, which prints neither a password nor the admin credentials', () => {
    expect(setup.output.trim()).toBe(
      `Applied users ${SERVICE_NAMES.map((name) => PREFIX + name).join(', ')} and their permissions on virtual host "${vhostOf(isolation.env.RABBITMQ_URL)}" at ${managementLocation()}`,
    );
    for (const password of Object.values(PASSWORDS)) expect(setup.output).not.toContain(password);
    // No URL with credentials in it (user:password@host).
    expect(setup.output).not.toMatch(/\/\/[^/\s]*@/);
  });

  it('takes an order to PAID over events and RPC, and delivers its notifications', async () => {
    const posted = await request(services.order.url).post('/orders').send(anOrder());
    expect(posted.status).toBe(202);
    const settled = await waitFor(
      async () => {
        const response = await request(services.order.url).get(`/orders/${posted.body.id}`);
        return response.body.status !== 'PENDING' ? response : undefined;
      },
      { description: 'the order to be settled', timeoutMs: 15_000 },
    );
    // The payment comes from payment over RPC: the request on `rpc`, the reply on direct reply-to.
    expect(settled.body).toMatchObject({ status: 'PAID', payment: { status: 'SUCCEEDED' } });
    await waitFor(
      async () => {
        const response = await request(services.notification.url).get(
          `/notifications?orderId=${posted.body.id}`,
        );
        const statuses = (response.body as { status: string }[]).map((n) => n.status);
        return (
          statuses.length === PAID_ORDER_NOTIFICATIONS.length &&
          statuses.every((status) => status === 'DELIVERED')
        );
      },
      { description: "the order's notifications delivered", timeoutMs: 15_000 },
    );
  });

  it('dead-letters a malformed event through the default exchange, as each consumer', async () => {
    const admin = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
    try {
      const messageId = randomUUID();
      await admin.publish(EVENTS_EXCHANGE, 'order.created', Buffer.from('not json'), {
        messageId,
        type: 'order.created',
      });
      for (const queue of ['payment.order-created.dlq', 'notification.order-events.dlq']) {
        const [copy] = await admin.take(queue, 1);
        expect(copy.properties.messageId).toBe(messageId);
      }
    } finally {
      await admin.close();
    }
  });

  it('refuses a service user what it must not do', async () => {
    const consumeForeign = await amqpOutcome(urlAs('payment'), (channel) =>
      channel.consume('order.payment-results', () => undefined),
    );
    expect(consumeForeign).toMatch(ACCESS_REFUSED);
    const publishEvent = await amqpOutcome(urlAs('notification'), (channel) =>
      publishConfirmed(channel, EVENTS_EXCHANGE, 'order.paid'),
    );
    expect(publishEvent).toMatch(ACCESS_REFUSED);
    // No tags: the management API turns the service users away.
    const overview = await fetch(`${managementLocation()}/api/overview`, {
      headers: { authorization: basicAuthorization(`${PREFIX}payment`, PASSWORDS.payment) },
    });
    expect(overview.status).toBe(401);
  });

  it('logs a refused login, saying it was refused, without the password it tried', async () => {
    const wrong = `wrong-${randomBytes(12).toString('hex')}`;
    const refused = await launch('payment', wrong);
    await waitFor(
      () =>
        refused.logs.some((line) => /Cannot connect to RabbitMQ at .*ACCESS.REFUSED/.test(line)),
      { description: 'payment to report that the broker refused its login' },
    );
    await refused.stop();
    expect(refused.logs.filter((line) => line.includes(wrong))).toEqual([]);
  });

  it('leaves no password and no refused operation in any log line of the services', () => {
    const secrets = Object.values(PASSWORDS);
    for (const service of running) {
      expect(
        service.logs.filter((line) => secrets.some((secret) => line.includes(secret))),
      ).toEqual([]);
    }
    for (const name of SERVICE_NAMES) {
      expect(services[name].logs.filter((line) => ACCESS_REFUSED.test(line))).toEqual([]);
    }
  });
});
