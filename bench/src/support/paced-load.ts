import { Agent, request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { percentile } from '../core/stats';
import type { LoadOptions, LoadOutcome } from './http-load';

type Answer = { status: number; ms: number } | { error: Error };

/**
 * POSTs `body` at a steady rate: request i is sent at start + i / rate, whatever became of the
 * ones before (an open loop). autocannon's rate limit sends each connection's quota for a second
 * at the start of that second, so "34 orders/s" arrived as a burst of 34 once a second, and the
 * latency measured was the time to work off the burst. At most `connections` keep-alive
 * connections: a request due while all are busy waits for one.
 */
export async function pacedPostLoad(options: Required<LoadOptions>): Promise<LoadOutcome> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const body = Buffer.from(JSON.stringify(options.body));
  const count = Math.max(1, Math.round(options.rate * options.seconds));
  const intervalMs = 1000 / options.rate;
  const startedAt = performance.now();
  const answers: Promise<Answer>[] = [];
  try {
    for (let index = 0; index < count; index++) {
      const waitMs = startedAt + index * intervalMs - performance.now();
      if (waitMs > 0) await delay(waitMs);
      answers.push(post(options.url, body, agent));
    }
    return outcomeOf(await Promise.all(answers), (performance.now() - startedAt) / 1000);
  } finally {
    agent.destroy();
  }
}

function post(url: string, body: Buffer, agent: Agent): Promise<Answer> {
  const sentAt = performance.now();
  return new Promise((resolve) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, ms: performance.now() - sentAt }),
        );
        response.on('error', (error) => resolve({ error }));
      },
    );
    outgoing.on('error', (error) => resolve({ error }));
    outgoing.end(body);
  });
}

function outcomeOf(answers: Answer[], seconds: number): LoadOutcome {
  const latencies = answers.flatMap((answer) => ('ms' in answer ? [answer.ms] : []));
  const ok = (answer: Answer) => 'status' in answer && answer.status >= 200 && answer.status < 300;
  const accepted = answers.filter(ok).length;
  const errors = answers.length - latencies.length;
  return {
    accepted,
    rejected: latencies.length - accepted,
    errors,
    seconds,
    latencyP50Ms: latencies.length > 0 ? percentile(latencies, 50) : 0,
    latencyP99Ms: latencies.length > 0 ? percentile(latencies, 99) : 0,
  };
}
