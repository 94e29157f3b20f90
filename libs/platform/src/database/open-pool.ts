import { Logger } from '@nestjs/common';
import { AsyncResource } from 'node:async_hooks';
import { Pool } from 'pg';

/**
 * How long an idle connection stays open. pg-pool's default, 10 s, closes the pool down between
 * two bursts of work and makes the next burst open its connections again: a new PostgreSQL
 * backend each, forked and warming its caches on the first statements, while the burst waits.
 */
export const POOL_IDLE_TIMEOUT_MS = 60_000;

export interface PoolSettings {
  max: number;
  /** Shown in pg_stat_activity, so an operator can tell the services and their pools apart. */
  applicationName: string;
  connectionTimeoutMillis: number;
  /** Given, a statement not answered by then fails, and pg-pool discards its connection. */
  queryTimeoutMillis?: number;
}

/** A pool whose lost connections are logged, never a crash of the process. Built at boot. */
export function openPool(connectionString: string, settings: PoolSettings): Pool {
  const logger = new Logger('DatabasePool');
  const pool = new Pool({
    connectionString,
    max: settings.max,
    application_name: settings.applicationName,
    connectionTimeoutMillis: settings.connectionTimeoutMillis,
    idleTimeoutMillis: POOL_IDLE_TIMEOUT_MS,
    query_timeout: settings.queryTimeoutMillis,
  });
  // A connection opens inside the request or message that first needed it, and its socket's
  // events keep that context: bound here, at boot, a connection lost a minute later is not
  // logged under that finished request's correlation and trace ids.
  const warn = AsyncResource.bind((text: string) => logger.warn(text));
  // An idle client dropped by a database restart must not crash the process.
  pool.on('error', (error) => warn(`Idle database connection lost: ${error.message}`));
  // pg-pool listens for errors only while a client is idle; one lost while checked out (between
  // two queries of a transaction) fails that transaction and must not crash the process.
  pool.on('connect', (client) =>
    client.on('error', (error) => warn(`Database connection lost: ${error.message}`)),
  );
  return pool;
}

/**
 * One connection beside the service's pool, for a read that must not wait behind its work. A
 * statement left hanging (a host gone without a reset) times out, and pg-pool discards its
 * connection, so the next read opens another instead of waiting behind it.
 */
export function openSideConnection(
  connectionString: string,
  applicationName: string,
  timeoutMs: number,
): Pool {
  return openPool(connectionString, {
    max: 1,
    applicationName,
    connectionTimeoutMillis: timeoutMs,
    queryTimeoutMillis: timeoutMs,
  });
}
