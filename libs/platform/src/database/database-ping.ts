import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Pool } from 'pg';
import type { BaseConfig } from '../config/base-config.schema';
import { settlesWithin } from '../settles-within';
import { openSideConnection } from './open-pool';
import { PING_TIMEOUT_MS, pingDatabase } from './ping-database';
import { DATABASE_OPTIONS, type DatabaseModuleOptions } from './database.tokens';

/**
 * Asks whether the database answers, on a connection of its own. On the service's pool a ping
 * waits behind every message in flight and every request: a replica busy for a second would read
 * as one whose database is down, and leave the traffic (`/health/serving`) or hold its messages
 * as through an outage (the inbox) just when it is needed most.
 */
@Injectable()
export class DatabasePing implements OnApplicationShutdown {
  private readonly pool: Pool;

  constructor(
    config: ConfigService<BaseConfig, true>,
    @Inject(DATABASE_OPTIONS) options: DatabaseModuleOptions,
  ) {
    this.pool = openSideConnection(
      config.get('DATABASE_URL', { infer: true }),
      `${options.applicationName}-ping`,
      PING_TIMEOUT_MS,
    );
  }

  /** Resolves when the database answers in time; rejects with why it did not. */
  answers(timeoutMs = PING_TIMEOUT_MS): Promise<void> {
    return pingDatabase(this.pool, timeoutMs);
  }

  async onApplicationShutdown(): Promise<void> {
    // A ping left waiting on a host that vanished must not hold the shutdown.
    await settlesWithin(this.pool.end(), PING_TIMEOUT_MS);
  }
}
