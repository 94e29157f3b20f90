import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { TransactionalAdapterDrizzleOrm } from '@nestjs-cls/transactional-adapter-drizzle-orm';
import type { TransactionHost } from '@nestjs-cls/transactional';

export const PG_POOL = Symbol('PG_POOL');
export const DRIZZLE = Symbol('DRIZZLE');
export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

export type Database = NodePgDatabase;
/** The CLS-bound transaction host: `tx` is the caller's open transaction, or the pool when none. */
export type DatabaseTransactionHost = TransactionHost<TransactionalAdapterDrizzleOrm<Database>>;

export interface DatabaseModuleOptions {
  /** The PostgreSQL schema this service owns; migrations and their journal live in it. */
  schema: string;
  migrationsFolder: string;
  /** Name shown in pg_stat_activity, so an operator can tell the services apart. */
  applicationName: string;
  poolSize?: number;
}
