import { PG_POOL, errorMessage } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Pool } from 'pg';

const PING_TIMEOUT_MS = 1_000;

@Injectable()
export class DatabaseIndicator {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check() {
    const session = this.indicators.check('database');
    try {
      await withTimeout(this.pool.query('select 1'), PING_TIMEOUT_MS);
      return session.up();
    } catch (error) {
      return session.down({ message: errorMessage(error) });
    }
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
