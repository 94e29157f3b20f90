import { EVENTS_EXCHANGE } from '@app/contracts';
import { OutboxRelay } from '@app/outbox';
import type { INestApplication } from '@nestjs/common';
import type { ConfirmChannel } from 'amqplib';
import { throughput, type Throughput } from '../core/cpu';
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
import { fillOutbox, untilAllSent } from '../support/outbox-table';
import { connectRaw, publishBatch } from '../support/raw-amqp';
import { rawPool } from '../support/raw-pg';
import { RawRelay } from '../support/raw-relay';

/** A classic queue of the bench's own: neither relay's messages reach the fixture's consumer. */
const SINK = 'bench.sink';
const RAW_OUTBOX = `${RAW_SCHEMA}.outbox`;
const STARTER_OUTBOX = 'fixture.outbox';

interface PublishParts {
  channel: ConfirmChannel;
  app: INestApplication;
  rawRelay: RawRelay;
}

/** Fills `table`, starts its relay and times it until the last row is marked sent. */
async function relayRound(
  context: BenchContext,
  table: string,
  rows: number,
  startRelay: () => Promise<void> | void,
): Promise<Throughput> {
  await fillOutbox(context.pool, table, rows, SINK);
  const started: { relaying?: Promise<void> | void } = {};
  // Timed until the observer sees the last row sent, on both sides; the raw loop's final
  // empty claim is awaited after the clock stops, as the starter relay's is never awaited.
  const drain = () => {
    started.relaying = startRelay();
    return untilAllSent(context.pool, table, 120_000);
  };
  const measured = await throughput(rows, () => measuredWindow(context, drain));
  await started.relaying;
  return measured;
}

function sides(context: BenchContext, { channel, app, rawRelay }: PublishParts) {
  const { rows, ceilingConfirmEvery } = context.settings.publish;
  const rowsFor = (round: number) => (round < 0 ? rows / 10 : rows);
  const purged = async () => void (await channel.purgeQueue(SINK));
  const ceilingTarget = { exchange: EVENTS_EXCHANGE, routingKey: SINK, type: SINK };
  return {
    raw: async (round: number) => {
      await purged();
      return relayRound(context, RAW_OUTBOX, rowsFor(round), () => rawRelay.drain());
    },
    starter: async (round: number) => {
      await purged();
      const relay = app.get(OutboxRelay);
      return relayRound(context, STARTER_OUTBOX, rowsFor(round), () => relay.kick());
    },
    ceiling: async (round: number) => {
      await purged();
      const count = rowsFor(round);
      return throughput(count, () =>
        publishBatch(channel, ceilingTarget, count, ceilingConfirmEvery, (i) => ({
          value: `message ${i}`,
        })),
      );
    },
  };
}

function rows(context: BenchContext, results: Record<'raw' | 'starter' | 'ceiling', Throughput[]>) {
  const rate = (side: keyof typeof results) => results[side].map((r) => r.perSecond);
  const cpu = (side: keyof typeof results) => results[side].map((r) => r.cpuUsPerItem);
  return [
    row({
      metric: `outbox relay, ${context.settings.publish.rows} rows`,
      unit: 'msg/s',
      raw: rate('raw'),
      starter: rate('starter'),
      target: { on: 'ratio', op: '>=', value: 0.9, text: 'ratio ≥ 0.9' },
    }),
    row({
      metric: 'outbox relay, bench-process CPU per message',
      unit: 'µs',
      raw: cpu('raw'),
      starter: cpu('starter'),
    }),
    row({ metric: 'ceiling: confirm-channel batch, no DB', unit: 'msg/s', raw: rate('ceiling') }),
  ];
}

/**
 * publish: the starter's outbox relay draining N committed rows, against the same relay loop
 * written with pg + amqplib on an identical table, and a confirm-channel batch publish without
 * any database as the ceiling.
 */
export async function publishScenario(
  context: BenchContext,
  journal: Journal,
): Promise<ScenarioOutcome> {
  const app = await bootFixture(context.env);
  const connection = await connectRaw(context.env.RABBITMQ_URL, 'bench-raw-publish');
  const relayPool = rawPool(context.env.DATABASE_URL);
  try {
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(SINK, { durable: true, arguments: { 'x-queue-type': 'classic' } });
    await channel.bindQueue(SINK, EVENTS_EXCHANGE, SINK);
    const rawRelay = new RawRelay(relayPool, channel, RAW_OUTBOX);
    const results = await runRounds({
      journal,
      label: 'publish',
      profiler: context.profiler,
      rounds: context.settings.rounds,
      warmup: context.settings.warmup,
      sides: sides(context, { channel, app, rawRelay }),
      describe: (value) => `${formatNumber(value.perSecond)} msg/s`,
    });
    await channel.purgeQueue(SINK);
    return {
      rows: rows(context, results),
      details: { ...context.settings.publish, rounds: results },
    };
  } finally {
    await connection.close().catch(() => undefined);
    await relayPool.end();
    await app.close();
  }
}
