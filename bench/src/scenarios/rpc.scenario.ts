import { RPC_EXCHANGE } from '@app/contracts';
import { CorrelationContext } from '@app/correlation';
import { AmqpClient, rpcQueueOptions } from '@app/messaging';
import { FixtureEcho } from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import type { ChannelModel } from 'amqplib';
import { processCpuMs } from '../core/cpu';
import { progress } from '../core/log';
import { runRounds } from '../core/rounds';
import { row } from '../core/rows';
import {
  type BenchContext,
  type Journal,
  measuredWindow,
  type ScenarioOutcome,
} from '../core/scenario';
import { formatNumber } from '../core/table';
import { bootFixture } from '../support/fixture';
import { concurrentCalls, latencyStats, sequentialCalls } from '../support/latency';
import { connectRaw } from '../support/raw-amqp';
import { STARTER_QUEUE_MAX_LENGTH } from '../support/starter-defaults';
import { RawRpcClient, type RpcMode, startRawResponder } from '../support/raw-rpc';
import { firstValueFrom } from 'rxjs';

const NAGLE_MS = 40;

type RpcRound = {
  p50: number;
  p99: number;
  max: number;
  callsPerSecond: number;
  concurrentP99: number;
  /** This process's CPU per call with calls in flight (client and responder both run here). */
  cpuUsPerCall: number;
};

type Call = (index: number) => Promise<unknown>;

async function measure(context: BenchContext, call: Call, warmup: boolean): Promise<RpcRound> {
  const {
    sequentialCalls: sequential,
    concurrentCalls: concurrent,
    inFlight,
  } = context.settings.rpc;
  const scale = warmup ? 10 : 1;
  const latencies = await measuredWindow(context, () =>
    sequentialCalls(Math.ceil(sequential / scale), call),
  );
  const cpuBefore = processCpuMs();
  const count = Math.ceil(concurrent / scale);
  const burst = await measuredWindow(context, () => concurrentCalls(count, inFlight, call));
  return {
    ...latencyStats(latencies),
    callsPerSecond: burst.callsPerSecond,
    concurrentP99: latencyStats(burst.latencies).p99,
    cpuUsPerCall: ((processCpuMs() - cpuBefore) * 1000) / count,
  };
}

/** A raw responder on a classic durable queue of its own, bound as the starter binds its own. */
async function rawCaller(connection: ChannelModel, prefetch: number, mode: RpcMode): Promise<Call> {
  const queue = `bench.echo.${mode}`;
  const declaring = await connection.createChannel();
  await declaring.assertQueue(queue, rpcQueueOptions(STARTER_QUEUE_MAX_LENGTH));
  await declaring.bindQueue(queue, RPC_EXCHANGE, queue);
  await declaring.close();
  await startRawResponder(connection, queue, prefetch, mode);
  const client = await RawRpcClient.open(connection, mode);
  return () => client.call(queue, { text: 'ping', delayMs: 0, fail: false });
}

/** The starter's AmqpClient (a ClientProxy), in a correlation context as a request handler would call it. */
function starterCaller(app: INestApplication): Call {
  const client = app.get(AmqpClient);
  const correlation = app.get(CorrelationContext);
  return (index) => {
    const ids = { correlationId: `bench-rpc-${index}`, causationId: `bench-rpc-${index}` };
    return correlation.run(ids, () =>
      firstValueFrom(client.send(FixtureEcho, { text: 'ping', delayMs: 0, fail: false })),
    );
  };
}

type RpcResults = Record<'raw' | 'starter' | 'rawConfirmed', RpcRound[]>;

/**
 * One metric of every round, of a raw side and of the starter. The targets are judged against
 * the raw client with the starter's guarantees (requests published on a confirm channel).
 */
const pick = (
  results: RpcResults,
  key: keyof RpcRound,
  raw: 'raw' | 'rawConfirmed' = 'rawConfirmed',
) => ({
  raw: results[raw].map((round) => round[key]),
  starter: results.starter.map((round) => round[key]),
});

function targetRows(results: RpcResults) {
  return [
    row({
      metric: 'sequential p50',
      unit: 'ms',
      ...pick(results, 'p50'),
      target: { on: 'ratio', op: '<=', value: 2, text: 'ratio ≤ 2' },
    }),
    row({
      metric: 'sequential p99',
      unit: 'ms',
      ...pick(results, 'p99'),
      target: { on: 'ratio', op: '<=', value: 3, text: 'ratio ≤ 3' },
    }),
    row({
      metric: 'sequential p99, every round (Nagle check)',
      unit: 'ms',
      ...pick(results, 'p99'),
      target: { on: 'all', op: '<', value: NAGLE_MS, text: `all < ${NAGLE_MS} ms` },
    }),
  ];
}

function rows(context: BenchContext, results: RpcResults) {
  const { inFlight } = context.settings.rpc;
  return [
    ...targetRows(results),
    row({ metric: `${inFlight} in flight`, unit: 'calls/s', ...pick(results, 'callsPerSecond') }),
    row({
      metric: `${inFlight} in flight, bench-process CPU per call`,
      unit: 'µs',
      ...pick(results, 'cpuUsPerCall'),
    }),
    row({
      metric: 'diagnostic: raw without publisher confirms, sequential p50',
      unit: 'ms',
      ...pick(results, 'p50', 'raw'),
    }),
    row({
      metric: 'diagnostic: same, sequential p99',
      unit: 'ms',
      ...pick(results, 'p99', 'raw'),
    }),
    row({
      metric: `diagnostic: same, ${inFlight} in flight`,
      unit: 'calls/s',
      ...pick(results, 'callsPerSecond', 'raw'),
    }),
  ];
}

/**
 * RPC: the starter's AmqpClient answered by the fixture's responder, against raw amqplib (direct
 * reply-to client, manual-ack responder replying on the default exchange) on confirm channels as
 * the starter's, and on plain channels for a diagnostic, each on one connection in this process:
 * sequential latency, then `inFlight` calls outstanding.
 */
export async function rpcScenario(
  context: BenchContext,
  journal: Journal,
): Promise<ScenarioOutcome> {
  const app = await bootFixture(context.env);
  const connection = await connectRaw(context.env.RABBITMQ_URL, 'bench-raw-rpc');
  const confirmedConnection = await connectRaw(context.env.RABBITMQ_URL, 'bench-raw-rpc-confirmed');
  try {
    const { prefetch } = context.settings.rpc;
    const calls: Record<'raw' | 'starter' | 'rawConfirmed', Call> = {
      raw: await rawCaller(connection, prefetch, 'plain'),
      starter: starterCaller(app),
      rawConfirmed: await rawCaller(confirmedConnection, prefetch, 'confirmed'),
    };
    const results = await runRounds({
      journal,
      label: 'rpc',
      profiler: context.profiler,
      rounds: context.settings.rounds,
      warmup: true,
      sides: {
        raw: (round) => measure(context, calls.raw, round < 0),
        starter: (round) => measure(context, calls.starter, round < 0),
        rawConfirmed: (round) => measure(context, calls.rawConfirmed, round < 0),
      },
      describe: (r) =>
        `p50 ${r.p50.toFixed(2)} ms p99 ${r.p99.toFixed(2)} ms, ${formatNumber(r.callsPerSecond)} calls/s`,
    });
    const stalls = Object.values(results)
      .flat()
      .filter((r) => r.p99 >= NAGLE_MS).length;
    if (stalls > 0)
      progress(
        `rpc: WARNING: ${stalls} round(s) with p99 ≥ ${NAGLE_MS} ms, a possible Nagle stall`,
      );
    return {
      rows: rows(context, results),
      details: { ...context.settings.rpc, rounds: results, nagleSuspectRounds: stalls },
    };
  } finally {
    await connection.close().catch(() => undefined);
    await confirmedConnection.close().catch(() => undefined);
    await app.close();
  }
}
