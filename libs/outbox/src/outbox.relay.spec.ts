import type { BrokerConnection, MessagePublisher } from '@app/messaging';
import type { Database } from '@app/platform';
import { Logger } from '@nestjs/common';
import { pgSchema } from 'drizzle-orm/pg-core';
import type { Histogram } from 'prom-client';
import { OutboxRelay } from './outbox.relay';
import { outboxTable } from './outbox.table';

const BATCH_SIZE = 3;

function relayOn(
  database: Database,
  broker: Partial<BrokerConnection>,
  publisher: Partial<MessagePublisher> = { isReady: true, onReady: () => {} },
) {
  return new OutboxRelay(
    database,
    publisher as MessagePublisher,
    broker as BrokerConnection,
    {
      table: outboxTable(pgSchema('shop')),
      schema: 'shop',
      batchSize: BATCH_SIZE,
      pollIntervalMs: 60_000,
    },
    {} as Histogram<string>,
  );
}

/** A relay whose batches report `outcomes` one after the other, then nothing to do. */
function relayReporting(...outcomes: { claimed: number; sent: number }[]) {
  let publishable = () => {};
  let publisherReady = () => {};
  const relay = relayOn(
    {} as Database,
    { canPublish: true, onPublishable: (listener) => (publishable = listener) },
    { isReady: true, onReady: (listener) => (publisherReady = listener) },
  );
  const batches = jest.spyOn(relay, 'relayBatch');
  for (const outcome of outcomes) batches.mockResolvedValueOnce(outcome);
  batches.mockResolvedValue({ claimed: 0, sent: 0 });
  return {
    relay,
    batches,
    publishable: () => publishable(),
    publisherReady: () => publisherReady(),
  };
}

describe('OutboxRelay', () => {
  let stop: (() => Promise<void>) | undefined;

  beforeEach(() => jest.useFakeTimers());

  afterEach(async () => {
    const stopping = stop?.();
    await jest.runOnlyPendingTimersAsync();
    await stopping;
    stop = undefined;
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  const start = (relay: OutboxRelay) => {
    relay.onApplicationBootstrap();
    stop = () => relay.beforeApplicationShutdown();
  };

  it('goes straight on after a full batch, refused rows in it or not, while it sends', async () => {
    const { relay, batches } = relayReporting(
      { claimed: BATCH_SIZE, sent: BATCH_SIZE },
      { claimed: BATCH_SIZE, sent: BATCH_SIZE - 1 },
      { claimed: 1, sent: 1 },
    );
    start(relay);
    await jest.advanceTimersByTimeAsync(0);
    expect(batches).toHaveBeenCalledTimes(3);
  });

  it('waits for its poll or a kick after a short batch, or a full one the broker refused whole', async () => {
    const { relay, batches } = relayReporting({ claimed: BATCH_SIZE, sent: 0 });
    start(relay);
    await jest.advanceTimersByTimeAsync(59_999);
    expect(batches).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(batches).toHaveBeenCalledTimes(2);
    relay.kick();
    await jest.advanceTimersByTimeAsync(0);
    expect(batches).toHaveBeenCalledTimes(3);
  });

  it.each([
    ['the broker can take publishes again (reconnected, or unblocked)', 'publishable'],
    [
      "the publisher's channel is set up again (a reconnect's kick came too early)",
      'publisherReady',
    ],
  ] as const)('looks at once when %s', async (_, trigger) => {
    const reporting = relayReporting();
    start(reporting.relay);
    await jest.advanceTimersByTimeAsync(0);
    expect(reporting.batches).toHaveBeenCalledTimes(1);
    reporting[trigger]();
    await jest.advanceTimersByTimeAsync(0);
    expect(reporting.batches).toHaveBeenCalledTimes(2);
  });

  it('stops at once when shut down while a failing batch ran, not after its backoff', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { relay, batches } = relayReporting();
    let failBatch = (_error: Error) => {};
    batches.mockImplementationOnce(() => new Promise((_, reject) => (failBatch = reject)));
    relay.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stopping = relay.beforeApplicationShutdown().then(() => (stopped = true));
    failBatch(new Error('database away'));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(true);
    await stopping;
  });

  it('backs off as a whole only when it cannot run a batch, and a kick does not cut that short', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { relay, batches } = relayReporting();
    batches.mockRejectedValueOnce(new Error('database away'));
    start(relay);
    await jest.advanceTimersByTimeAsync(0);
    relay.kick();
    await jest.advanceTimersByTimeAsync(499);
    expect(batches).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(batches).toHaveBeenCalledTimes(2);
  });

  it('claims nothing while the broker is connected but has blocked the connection (an alarm)', async () => {
    const connect = jest.fn();
    const relay = relayOn({ $client: { connect } } as unknown as Database, {
      isConnected: true,
      canPublish: false,
    });
    await expect(relay.relayBatch()).resolves.toEqual({ claimed: 0, sent: 0 });
    expect(connect).not.toHaveBeenCalled();
  });

  it("claims nothing until the publisher's channel is set up again after a reconnect", async () => {
    const connect = jest.fn();
    const relay = relayOn(
      { $client: { connect } } as unknown as Database,
      { isConnected: true, canPublish: true },
      { isReady: false },
    );
    await expect(relay.relayBatch()).resolves.toEqual({ claimed: 0, sent: 0 });
    expect(connect).not.toHaveBeenCalled();
  });
});
