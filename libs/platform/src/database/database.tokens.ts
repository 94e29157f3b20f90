import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Pool } from 'pg';
import type { TransactionHost } from '@nestjs-cls/transactional';
import type { DrizzleTransactionsAdapter } from './drizzle-transactions.adapter';

export const PG_POOL = Symbol('PG_POOL');
export const DRIZZLE = Symbol('DRIZZLE');
export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

/** A drizzle database on the service's pool (`$client`). */
export type Database = NodePgDatabase & { $client: Pool };
/** The CLS-bound transaction host: `tx` is the caller's open transaction, or the pool when none. */
export type DatabaseTransactionHost = TransactionHost<DrizzleTransactionsAdapter>;

export interface DatabaseModuleOptions {
  /** The PostgreSQL schema this service owns; migrations and their journal live in it. */
  schema: string;
  migrationsFolder: string;
  /** Name shown in pg_stat_activity, so an operator can tell the services apart. */
  applicationName: string;
  poolSize?: number;
}
