import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Pool } from 'pg';
import { retryWithBackoff } from '../retry-with-backoff';
import { DATABASE_OPTIONS, type DatabaseModuleOptions, PG_POOL } from './database.tokens';

const STARTUP_DEADLINE_MS = 60_000;

/**
 * Applies the service's migrations before anything else touches its schema. An advisory lock
 * keeps two replicas starting together from racing through the same migration.
 */
@Injectable()
export class DatabaseMigrator implements OnModuleInit {
  private readonly logger = new Logger(DatabaseMigrator.name);

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(DATABASE_OPTIONS) private readonly options: DatabaseModuleOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    await retryWithBackoff(() => this.migrate(), {
      deadlineMs: STARTUP_DEADLINE_MS,
      onRetry: (error, delayMs) =>
        this.logger.warn(`Database not reachable (${error.message}); retrying in ${delayMs} ms`),
    });
  }

  private async migrate(): Promise<void> {
    const { schema, migrationsFolder } = this.options;
    const client = await this.pool.connect();
    try {
      await client.query('select pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
      await migrate(drizzle(client), {
        migrationsFolder,
        migrationsSchema: schema,
        migrationsTable: '__drizzle_migrations',
      });
      this.logger.log(`Schema "${schema}" is up to date`);
    } finally {
      await client.query('select pg_advisory_unlock_all()').catch(() => undefined);
      client.release();
    }
  }
}
