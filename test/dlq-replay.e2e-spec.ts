import type { ServiceName } from '@app/services';
import { EVENTS_EXCHANGE } from '@app/contracts';
import { AmqpTestClient, isolate, type Isolation, ServiceProcess, waitFor } from '@app/testing';
import type { GetMessage } from 'amqplib';
import request from 'supertest';
import { runBuiltCli } from '../tools/dlq/test/built-cli';
import { anOrder } from './support/stack';

const QUEUE = 'payment.order-created';
const DLQ = `${QUEUE}.dlq`;
const OBSERVER = 'test.observed-order-created';

describe('Replaying a dead-lettered order with the dlq CLI (real processes)', () => {
  let isolation: Isolation;
  let client: AmqpTestClient;
  const services: ServiceProcess[] = [];
  let order: ServiceProcess;
  let payment: ServiceProcess;

  const start = async (name: ServiceName, env: Record<string, string> = {}) => {
    const service = await ServiceProcess.start(name, {
      ...isolation.env,
      RETRY_DELAYS_MS: '100,200',
      ...env,
    });
    services.push(service);
    return service.ready();
  };

  const cli = (...args: string[]) => runBuiltCli(isolation.env.RABBITMQ_URL, ...args);

  /** Adds the services' latest log lines to a failure, where the reason usually is. */
  async function explained<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      const logs = services.flatMap((s) => s.logs.slice(-15).map((line) => `[${s.name}] ${line}`));
      throw new Error(`${String(error)}\n--- recent logs ---\n${logs.join('\n')}`, {
        cause: error,
      });
    }
  }

  const orderStatus = async (id: string) =>
    (await request(order.url).get(`/orders/${id}`)).body.status as string;
  const paymentsOf = async (service: ServiceProcess, orderId: string) =>
    (await request(service.url).get(`/payments?orderId=${orderId}`)).body as unknown[];

  beforeAll(async () => {
    isolation = await isolate('dlq-replay');
    [payment] = await Promise.all([
      start('payment', { PAYMENT_TRANSIENT_FAILURE_RATE: '1' }),
      start('notification'),
    ]);
    order = await start('order');
    client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
    await client.bindObserver(OBSERVER, EVENTS_EXCHANGE, ['order.created']);
  });

  afterAll(async () => {
    await client?.close();
    await Promise.all(services.map((service) => service.stop()));
    await isolation?.dispose();
  });

  it('explains itself and refuses a replay that does not say which messages', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: dlq <command> [options]');
    expect(help.stdout).toMatch(/replay \[options\] <queue>/);
    const bare = await cli('replay', QUEUE);
    expect(bare).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'error: replay needs --id <messageId>… or --all to say which messages; nothing was done\n',
    });
  });

  /** Places an order that payment fails on every attempt, and returns its order.created. */
  async function deadLetteredOrder(): Promise<{ orderId: string; original: GetMessage }> {
    const posted = await request(order.url).post('/orders').send(anOrder()).expect(202);
    const original = await client.takeOne(OBSERVER);
    await explained(
      waitFor(async () => (await client.messageCount(DLQ)) === 1, {
        description: `order.created ${String(original.properties.messageId)} in ${DLQ}`,
      }),
    );
    return { orderId: posted.body.id, original };
  }

  /** What the CLI shows about it: 3 attempts, from payment.order-created, left in place. */
  async function expectListedAndShown(messageId: string, orderId: string): Promise<void> {
    const queues = await cli('list');
    expect(queues).toMatchObject({ code: 0, stderr: '' });
    expect(queues.stdout).toMatch(/^payment\.order-created\.dlq\s+payment\s+1$/m);
    const listed = await cli('list', QUEUE);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(listed.stdout).toMatch(
      /^MESSAGE ID\s+TYPE\s+FAILED AT \(UTC\)\s+ATTEMPTS\s+SOURCE QUEUE\s+ERROR$/m,
    );
    expect(listed.stdout).toMatch(
      new RegExp(`^${messageId}\\s+order\\.created\\s+[\\d-]+ [\\d:]+\\s+3\\s+${QUEUE}\\s`, 'm'),
    );
    const shown = await cli('show', QUEUE, '--id', messageId);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^ {2}x-attempts\s+3$/m);
    expect(shown.stdout).toContain(`"orderId": "${orderId}"`);
    expect(await client.messageCount(DLQ)).toBe(1);
  }

  /** The same order.created once more, as a redelivery or a second replay would bring it. */
  async function deliverAgain(original: GetMessage): Promise<void> {
    const { messageId, type, timestamp, contentType, appId, headers } = original.properties;
    await client.publish('', QUEUE, original.content, {
      messageId: messageId as string,
      type: type as string,
      timestamp: timestamp as number,
      contentType: contentType as string,
      appId: appId as string,
      headers,
    });
  }

  const skipped = (messageId: string) =>
    payment
      .jsonLogs()
      .some((line) => String(line.msg).startsWith(`Skipped order.created ${messageId}`));

  it('replays an order payment gave up on once payment recovers; a second copy is skipped', async () => {
    const { orderId, original } = await deadLetteredOrder();
    const messageId = original.properties.messageId as string;
    expect(await orderStatus(orderId)).toBe('PENDING');
    await expectListedAndShown(messageId, orderId);

    expect(await payment.stop()).toBe(0);
    payment = await start('payment', { PAYMENT_TRANSIENT_FAILURE_RATE: '0' });
    expect(await cli('replay', QUEUE, '--all')).toEqual({
      code: 0,
      stderr: '',
      stdout:
        `replayed ${messageId} (order.created) to ${QUEUE}\n` +
        `Replayed 1 message(s) from ${DLQ} to ${QUEUE}\n`,
    });
    await explained(
      waitFor(async () => (await orderStatus(orderId)) === 'PAID', {
        description: `order ${orderId} to be PAID`,
        timeoutMs: 15_000,
      }),
    );
    expect(await paymentsOf(payment, orderId)).toHaveLength(1);
    expect(await client.messageCount(DLQ)).toBe(0);

    await deliverAgain(original);
    await explained(
      waitFor(() => skipped(messageId), { description: `payment to skip ${messageId}` }),
    );
    expect(await paymentsOf(payment, orderId)).toEqual([
      expect.objectContaining({ orderId, status: 'SUCCEEDED' }),
    ]);
    expect(await orderStatus(orderId)).toBe('PAID');
  });
});
