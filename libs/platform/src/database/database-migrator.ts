import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { Client } from 'pg';
import { type BaseConfig, directDatabaseUrl } from '../config/base-config.schema';
import { retryWithBackoff } from '../retry-with-backoff';
import { isDatabaseUnavailable } from './database-errors';
import { DATABASE_OPTIONS, type DatabaseModuleOptions } from './database.tokens';

const STARTUP_DEADLINE_MS = 60_000;

/**
 * Applies the service's migrations before anything else touches its schema. An advisory lock
 * keeps two replicas starting together from racing through the same migration. The lock belongs
 * to a session, so this runs on a connection of its own to DATABASE_DIRECT_URL: behind a
 * transaction pooler, lock, migration and unlock could each land on another server connection.
 */
@Injectable()
export class DatabaseMigrator implements OnModuleInit {
  private readonly logger = new Logger(DatabaseMigrator.name);

  constructor(
    private readonly config: ConfigService<BaseConfig, true>,
    @Inject(DATABASE_OPTIONS) private readonly options: DatabaseModuleOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    await retryWithBackoff(() => this.migrate(), {
      deadlineMs: STARTUP_DEADLINE_MS,
      // A refused password, a missing database or a failing migration stop boot at once.
      isTransient: isDatabaseUnavailable,
      onRetry: (error, delayMs) =>
        this.logger.warn(`Database not reachable (${error.message}); retrying in ${delayMs} ms`),
    });
  }

  private async migrate(): Promise<void> {
    const { schema, migrationsFolder } = this.options;
    const client = new Client({
      connectionString: directDatabaseUrl({
        DATABASE_URL: this.config.get('DATABASE_URL', { infer: true }),
        DATABASE_DIRECT_URL: this.config.get('DATABASE_DIRECT_URL', { infer: true }),
      }),
      application_name: this.options.applicationName,
      connectionTimeoutMillis: 5000,
    });
    // A connection dropped mid-migration fails the attempt below; it must not crash the process.
    client.on('error', (error) => this.logger.warn(`Migration connection lost: ${error.message}`));
    await client.connect().catch(async (error: unknown) => {
      await client.end().catch(() => undefined);
      throw error;
    });
    try {
      await client.query('select pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
      await migrate(drizzle(client), {
        migrationsFolder,
        migrationsSchema: schema,
        migrationsTable: '__drizzle_migrations',
      });
      this.logger.log(`Schema "${schema}" is up to date`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
