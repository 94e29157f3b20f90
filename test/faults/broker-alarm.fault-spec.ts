import { MetricNames } from '@app/telemetry';
import { parseExposition, type Sample, waitFor } from '@app/testing';
import request from 'supertest';
import { anOrder, Stack } from '../support/stack';
import { expectEachSettledPaidOnce } from './support/history';
import { brokerPublishing, whileDown } from './support/infrastructure';

/**
 * Waits until order has logged, at `level` (pino's numbers: 30 info, 40 warn), a message that
 * `matches`. Its lines reach this process through its output, after whatever they report.
 */
function untilOrderSaid(
  stack: Stack,
  level: number,
  matches: (message: string) => boolean,
  wait: { description: string; timeoutMs?: number },
): Promise<unknown> {
  const said = () =>
    stack.order.jsonLogs().some((line) => line.level === level && matches(String(line.msg)));
  return stack.explained(waitFor(said, wait));
}

/** Order's `messaging_broker_blocked` samples as scraped: their labels and value. */
async function blockedGauge(stack: Stack): Promise<Pick<Sample, 'labels' | 'value'>[]> {
  const page = await request(stack.order.url).get('/metrics');
  return parseExposition(String(page.text))
    .samples.filter((sample) => sample.name === MetricNames.brokerBlocked)
    .map(({ labels, value }) => ({ labels, value }));
}

describe('RabbitMQ blocks publishing in a memory alarm while orders keep coming', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start('broker-alarm');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('takes them, says it is blocked and why (log, readiness, metric), and pays each exactly once when it clears', async () => {
    const before = await Promise.all([1, 2, 3].map(() => stack.placeOrder(anOrder())));
    const during = await whileDown(brokerPublishing, async () => {
      const placed = await Promise.all([1, 2, 3, 4, 5].map(() => stack.placeOrder(anOrder())));
      expect(placed.map((response) => response.status)).toEqual([202, 202, 202, 202, 202]);
      await untilOrderSaid(
        stack,
        40,
        (message) => message.startsWith('RabbitMQ blocked this connection (low on memory)'),
        { description: 'order to log that RabbitMQ blocked its connection, and why' },
      );
      // Still ready: every replica is blocked alike, and orders are still taken.
      const ready = await request(stack.order.url).get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.info.broker).toEqual({ status: 'up', blocked: 'low on memory' });
      expect(await blockedGauge(stack)).toEqual([{ labels: {}, value: 1 }]);
      // An order is still shown; the RPC for its payment is not sent into the blocked connection.
      const shown = await stack.orderApi().get(`/orders/${before[0].body.id as string}`);
      expect(shown.body.payment).toEqual({ status: 'UNKNOWN' });
      await untilOrderSaid(
        stack,
        40,
        (message) =>
          message.includes('unknown: RabbitMQ has blocked the connection (low on memory)'),
        { description: 'order to log why the payment is unknown: the request was not sent' },
      );
      // The batch whose publish met the alarm is given up at the relay's publish timeout; its
      // copies wait in the connection and arrive once it clears, beside the ones sent again.
      await untilOrderSaid(stack, 40, (message) => message.startsWith('Outbox could not publish'), {
        description: "order's relay to give up the batch the broker did not read",
        timeoutMs: 15_000,
      });
      return placed;
    });

    const ids = [...before, ...during].map((response) => response.body.id as string);
    await expectEachSettledPaidOnce(stack, ids, {
      description: 'every order settled and announced once the alarm cleared',
      timeoutMs: 60_000,
    });
    await untilOrderSaid(
      stack,
      30,
      (message) => /^The connection is no longer blocked after [\d.]+ s: the broker/.test(message),
      { description: 'order to log that the broker unblocked its connection, and after how long' },
    );
    const ready = await request(stack.order.url).get('/health/ready');
    expect(ready.body.info.broker).toEqual({ status: 'up' });
    expect(await blockedGauge(stack)).toEqual([{ labels: {}, value: 0 }]);
  });
});
