import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { Pool } from 'pg';
import type { BaseConfig } from '../config/base-config.schema';
import { settlesWithin } from '../settles-within';
import { openSideConnection } from './open-pool';
import { DATABASE_OPTIONS, type Database, type DatabaseModuleOptions } from './database.tokens';

/** How long a monitoring read may take; a readiness check answers within 2 s. */
const MONITORING_TIMEOUT_MS = 2_000;

/**
 * A connection of its own for what readiness reads from the tables (the outbox's lag). On the
 * service's pool such a read waits behind every message in flight: a replica busy for two
 * seconds would report itself not ready, and be taken out of service just when it works
 * hardest. Apart from DatabasePing's, so a ping never waits behind a slow read either.
 */
@Injectable()
export class MonitoringDatabase implements OnApplicationShutdown {
  private readonly pool: Pool;
  readonly db: Database;

  constructor(
    config: ConfigService<BaseConfig, true>,
    @Inject(DATABASE_OPTIONS) options: DatabaseModuleOptions,
  ) {
    this.pool = openSideConnection(
      config.get('DATABASE_URL', { infer: true }),
      `${options.applicationName}-monitor`,
      MONITORING_TIMEOUT_MS,
    );
    this.db = drizzle(this.pool);
  }

  async onApplicationShutdown(): Promise<void> {
    await settlesWithin(this.pool.end(), MONITORING_TIMEOUT_MS);
  }
}
