import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { drizzle } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
import type { BaseConfig } from '../config/base-config.schema';
import { settlesWithin } from '../settles-within';
import { DatabaseMigrator } from './database-migrator';
import { DATABASE_OPTIONS, type DatabaseModuleOptions, DRIZZLE, PG_POOL } from './database.tokens';

/** Past the drain timeout a handler may still hold a connection; don't wait on it forever. */
const POOL_CLOSE_TIMEOUT_MS = 2_000;

@Injectable()
class PoolCloser implements OnApplicationShutdown {
  private readonly logger = new Logger('DatabasePool');

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    if (!(await settlesWithin(this.pool.end(), POOL_CLOSE_TIMEOUT_MS))) {
      this.logger.warn(
        'Closing with database connections still busy; their transactions roll back',
      );
    }
  }
}

/**
 * A service's pool, unless its consumers need more: every message in flight holds a connection
 * for its transaction (the services pass databasePoolSize of their definition).
 */
export const DEFAULT_POOL_SIZE = 20;

/**
 * How long an idle connection stays open. pg-pool's default, 10 s, closes the pool down between
 * two bursts of work and makes the next burst open its connections again: a new PostgreSQL
 * backend each, forked and warming its caches on the first statements, while the burst waits.
 */
export const POOL_IDLE_TIMEOUT_MS = 60_000;

function createPool(config: ConfigService<BaseConfig, true>, options: DatabaseModuleOptions): Pool {
  const logger = new Logger('DatabasePool');
  const pool = new Pool({
    connectionString: config.get('DATABASE_URL', { infer: true }),
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    application_name: options.applicationName,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: POOL_IDLE_TIMEOUT_MS,
  });
  // An idle client dropped by a database restart must not crash the process.
  pool.on('error', (error) => logger.warn(`Idle database connection lost: ${error.message}`));
  // pg-pool listens for errors only while a client is idle; one lost while checked out (between
  // two queries of a transaction) fails that transaction and must not crash the process.
  pool.on('connect', (client) =>
    client.on('error', (error) => logger.warn(`Database connection lost: ${error.message}`)),
  );
  return pool;
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_OPTIONS, useValue: options },
        {
          provide: PG_POOL,
          inject: [ConfigService],
          useFactory: (config: ConfigService<BaseConfig, true>) => createPool(config, options),
        },
        { provide: DRIZZLE, inject: [PG_POOL], useFactory: (pool: Pool) => drizzle(pool) },
        DatabaseMigrator,
        PoolCloser,
      ],
      exports: [PG_POOL, DRIZZLE, DATABASE_OPTIONS],
    };
  }
}
