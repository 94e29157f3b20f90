import { PG_POOL, errorMessage, pingDatabase } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Pool } from 'pg';

@Injectable()
export class DatabaseIndicator {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check() {
    const session = this.indicators.check('database');
    try {
      await pingDatabase(this.pool);
      return session.up();
    } catch (error) {
      return session.down({ message: errorMessage(error) });
    }
  }
}
