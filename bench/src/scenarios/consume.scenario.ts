import { EVENTS_EXCHANGE } from '@app/contracts';
import { consumerQueueOptions } from '@app/messaging';
import { FixtureRecorded, waitFor } from '@app/testing';
import type { ConfirmChannel } from 'amqplib';
import type { Pool } from 'pg';
import { processCpuMs, type Throughput } from '../core/cpu';
import { runRounds } from '../core/rounds';
import { row } from '../core/rows';
import {
  type BenchContext,
  type Journal,
  measuredWindow,
  type ScenarioOutcome,
} from '../core/scenario';
import { formatNumber } from '../core/table';
import { bootFixture, RAW_SCHEMA } from '../support/fixture';
import { connectRaw, publishBatch } from '../support/raw-amqp';
import { STARTER_QUEUE_MAX_LENGTH } from '../support/starter-defaults';
import {
  effectOnly,
  inboxThenEffect,
  type RawEffect,
  startRawConsumer,
} from '../support/raw-consumer';
import { rawPool } from '../support/raw-pg';

/** A quorum queue with the very arguments of the starter's consumer queues. */
const RAW_QUEUE = 'bench.raw-events';
const RAW_ROUTING_KEY = 'bench.raw-recorded';

interface ConsumeSide {
  /** Tables emptied before the round; the first holds the effects. */
  tables: string[];
  routingKey: string;
  /** Starts consuming; resolves with how to stop. */
  consume: () => Promise<() => Promise<unknown>>;
}

const countOf = async (pool: Pool, table: string): Promise<number> =>
  (await pool.query<{ count: number }>(`select count(*)::int as count from ${table}`)).rows[0]
    .count;

/**
 * Throughput from the effects themselves: both tables default `created_at` to now(), the start
 * of the row's transaction on the database clock, so (rows − 1) ÷ (last − first) is measured the
 * same way on both sides and leaves out consumer start-up and shutdown.
 */
async function effectRate(pool: Pool, table: string): Promise<number> {
  const { rows } = await pool.query<{ count: number; span: number }>(
    `select count(*)::int as count,
            extract(epoch from max(created_at) - min(created_at))::float8 as span
     from ${table}`,
  );
  return (rows[0].count - 1) / rows[0].span;
}

/** Publishes the messages, starts the consumer, waits for every effect. */
async function consumeRound(
  context: BenchContext,
  publisher: ConfirmChannel,
  side: ConsumeSide,
  messages: number,
): Promise<Throughput> {
  const [effects] = side.tables;
  await context.pool.query(`truncate ${side.tables.join(', ')}`);
  const target = {
    exchange: EVENTS_EXCHANGE,
    routingKey: side.routingKey,
    type: FixtureRecorded.type,
  };
  await publishBatch(publisher, target, messages, 1_000, (i) => ({ value: `message ${i}` }));
  const stop = await side.consume();
  // CPU per message is counted from here, past the starter's boot, over the messages left, to
  // the last one: the consumer's shutdown is left out too.
  const [cpuBefore, doneBefore] = [processCpuMs(), await countOf(context.pool, effects)];
  const allHandled = () =>
    waitFor(async () => (await countOf(context.pool, effects)) >= messages, {
      description: `${messages} effects in ${effects}`,
      timeoutMs: 180_000,
      intervalMs: 100,
    });
  let cpuAfter: number;
  try {
    await measuredWindow(context, allHandled);
    cpuAfter = processCpuMs();
  } finally {
    await stop();
  }
  const cpuUsPerItem = ((cpuAfter - cpuBefore) * 1000) / Math.max(1, messages - doneBefore);
  return { perSecond: await effectRate(context.pool, effects), cpuUsPerItem };
}

/**
 * A raw consumer on a connection and a pool of its own, opened each round as the starter's app
 * is booted each round, so neither side starts a round on warmer connections.
 */
async function startRawRound(context: BenchContext, effect: RawEffect) {
  const { prefetch } = context.settings.consume;
  const pool = rawPool(context.env.DATABASE_URL);
  const connection = await connectRaw(context.env.RABBITMQ_URL, 'bench-raw-consume');
  const channel = await connection.createChannel();
  const cancel = await startRawConsumer(channel, pool, { queue: RAW_QUEUE, prefetch, effect });
  return async () => {
    await cancel();
    await connection.close();
    await pool.end();
  };
}

function sides(context: BenchContext) {
  const rawSide = (effect: RawEffect, tables: string[]): ConsumeSide => ({
    tables,
    routingKey: RAW_ROUTING_KEY,
    consume: () => startRawRound(context, effect),
  });
  return {
    raw: rawSide(effectOnly, [`${RAW_SCHEMA}.effects`]),
    starter: {
      tables: ['fixture.effects', 'fixture.inbox'],
      routingKey: FixtureRecorded.type,
      // The fixture's consumer starts with the app: boot it once the messages are waiting.
      consume: async () => {
        const app = await bootFixture(context.env);
        return () => app.close();
      },
    },
    rawInbox: rawSide(inboxThenEffect, [`${RAW_SCHEMA}.effects`, `${RAW_SCHEMA}.inbox`]),
  } satisfies Record<string, ConsumeSide>;
}

function rows(
  context: BenchContext,
  results: Record<'raw' | 'starter' | 'rawInbox', Throughput[]>,
) {
  const { messages, prefetch } = context.settings.consume;
  const rate = (side: keyof typeof results) => results[side].map((r) => r.perSecond);
  const cpu = (side: keyof typeof results) => results[side].map((r) => r.cpuUsPerItem);
  return [
    row({
      metric: `${messages} messages, prefetch ${prefetch}; raw = raw with the inbox insert too (the starter’s SQL)`,
      unit: 'msg/s',
      raw: rate('rawInbox'),
      starter: rate('starter'),
      target: { on: 'ratio', op: '>=', value: 0.9, text: 'ratio ≥ 0.9' },
    }),
    row({
      metric: 'bench-process CPU per message; raw = raw with the inbox insert too',
      unit: 'µs',
      raw: cpu('rawInbox'),
      starter: cpu('starter'),
      target: { on: 'ratio', op: '<=', value: 1.5, text: 'ratio ≤ 1.5' },
    }),
    row({
      metric: 'diagnostic: raw = raw without the inbox insert',
      unit: 'msg/s',
      raw: rate('raw'),
      starter: rate('starter'),
    }),
    row({
      metric: 'diagnostic: bench-process CPU per message; raw = raw without the inbox insert',
      unit: 'µs',
      raw: cpu('raw'),
      starter: cpu('starter'),
    }),
  ];
}

/**
 * consume: N persistent messages waiting in a quorum queue, handled with prefetch as configured
 * — by the fixture's idempotent handler (inbox row + effect in one transaction, ack after
 * commit), by a raw amqplib consumer doing the same, and by one doing the effect alone.
 */
export async function consumeScenario(
  context: BenchContext,
  journal: Journal,
): Promise<ScenarioOutcome> {
  const connection = await connectRaw(context.env.RABBITMQ_URL, 'bench-raw-publish');
  try {
    const publisher = await connection.createConfirmChannel();
    await publisher.assertQueue(
      RAW_QUEUE,
      consumerQueueOptions(RAW_QUEUE, undefined, STARTER_QUEUE_MAX_LENGTH),
    );
    await publisher.bindQueue(RAW_QUEUE, EVENTS_EXCHANGE, RAW_ROUTING_KEY);
    const { messages } = context.settings.consume;
    const count = (round: number) => (round < 0 ? messages / 10 : messages);
    const round = (side: ConsumeSide) => (r: number) =>
      consumeRound(context, publisher, side, count(r));
    const { raw, starter, rawInbox } = sides(context);
    const results = await runRounds({
      journal,
      label: 'consume',
      profiler: context.profiler,
      rounds: context.settings.rounds,
      warmup: context.settings.warmup,
      sides: { raw: round(raw), starter: round(starter), rawInbox: round(rawInbox) },
      describe: (value) => `${formatNumber(value.perSecond)} msg/s`,
    });
    return {
      rows: rows(context, results),
      details: { ...context.settings.consume, rounds: results },
    };
  } finally {
    await connection.close().catch(() => undefined);
  }
}
