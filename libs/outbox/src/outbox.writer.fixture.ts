// Shared by the outbox.writer.*.spec.ts files.
import { CorrelationContext } from '@app/correlation';
import {
  type BaseConfig,
  type DatabaseTransactionHost,
  runCommitHooks,
  trackHooks,
  TransactionStatements,
} from '@app/platform';
import type { ConfigService } from '@nestjs/config';
import { drizzle } from 'drizzle-orm/node-postgres';
import { pgSchema } from 'drizzle-orm/pg-core';
import type { Pool, QueryConfig } from 'pg';
import { ClsService } from 'nestjs-cls';
import { AsyncLocalStorage } from 'node:async_hooks';
import { outboxTable } from './outbox.table';
import type { OutboxRelay } from './outbox.relay';
import { OutboxWriter } from './outbox.writer';

export const ORDER_ID = '0b6c7a8e-3f1d-4c2b-9a5e-6d7f8a9b0c1d';
const table = outboxTable(pgSchema('orders'));

/** A statement the writer sent on the transaction's connection. */
interface Sent {
  text: string;
  values: unknown[];
}

export function setup(transactionActive = true) {
  // The transaction's connection; a cancel finds the rows in `unsent`.
  const unsent = new Set<string>();
  const query = jest.fn((config: QueryConfig, values: unknown[] = []) => {
    const rows = config.text.startsWith('delete')
      ? values.filter((id) => unsent.has(id as string))
      : [];
    return Promise.resolve({ rows: rows.map((id) => [id]), rowCount: rows.length });
  });
  const tx = drizzle({ query } as unknown as Pool);
  const hooks = trackHooks(tx);
  const txHost = {
    isTransactionActive: () => transactionActive,
    tx,
  } as unknown as DatabaseTransactionHost;
  const statements = new TransactionStatements(txHost);
  const relay = { kick: jest.fn() };
  const cls = new ClsService(new AsyncLocalStorage());
  const correlation = new CorrelationContext(cls);
  const config = { get: () => 256 * 1024 } as unknown as ConfigService<BaseConfig, true>;
  const writer = new OutboxWriter(
    txHost,
    correlation,
    { table, schema: 'orders' },
    config,
    relay as unknown as OutboxRelay,
    statements,
  );
  const inContext = <T>(work: () => Promise<T>) =>
    correlation.run({ correlationId: 'corr-1', causationId: 'msg-9' }, work);
  const sent = (): Sent[] =>
    query.mock.calls.map(([config, values = []]) => ({ ...config, values }));
  /** The one statement sent to PostgreSQL, and the outbox rows it inserts. */
  const statement = () => {
    expect(query).toHaveBeenCalledTimes(1);
    const [{ text, values }] = sent();
    const rows = JSON.parse(values[0] as string) as Record<string, unknown>[];
    return { text, values, rows, row: rows[0] };
  };
  const commit = () => runCommitHooks(hooks);
  return { writer, cls, query, sent, unsent, inContext, statement, relay, commit };
}

export const cancelled = { orderId: ORDER_ID, reason: 'payment failed' };
