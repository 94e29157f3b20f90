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
import type { Pool } from 'pg';
import type { BaseConfig } from '../config/base-config.schema';
import { settlesWithin } from '../settles-within';
import { DatabaseMigrator } from './database-migrator';
import { DatabasePing } from './database-ping';
import { MonitoringDatabase } from './monitoring-database';
import { openPool } from './open-pool';
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

function createPool(config: ConfigService<BaseConfig, true>, options: DatabaseModuleOptions): Pool {
  return openPool(config.get('DATABASE_URL', { infer: true }), {
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    applicationName: options.applicationName,
    connectionTimeoutMillis: 5000,
  });
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
        DatabasePing,
        MonitoringDatabase,
      ],
      exports: [PG_POOL, DRIZZLE, DATABASE_OPTIONS, DatabasePing, MonitoringDatabase],
    };
  }
}
