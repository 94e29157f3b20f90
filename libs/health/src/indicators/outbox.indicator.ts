import { OutboxMonitor } from '@app/outbox';
import { type BaseConfig, answersWithin, errorMessage } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';

/**
 * How long measuring the lag may take. With the database unreachable or the pool taken, the
 * query would wait out the pool's connection timeout while the other checks have answered.
 */
export const OUTBOX_CHECK_TIMEOUT_MS = 2_000;

/** The relay keeps up: the oldest unpublished outbox row is younger than OUTBOX_MAX_LAG_MS. */
@Injectable()
export class OutboxIndicator {
  private readonly maxLagSeconds: number;

  constructor(
    private readonly monitor: OutboxMonitor,
    private readonly indicators: HealthIndicatorService,
    config: ConfigService<BaseConfig, true>,
  ) {
    this.maxLagSeconds = config.get('OUTBOX_MAX_LAG_MS', { infer: true }) / 1000;
  }

  async check() {
    const session = this.indicators.check('outbox');
    try {
      const { pending, oldestPendingSeconds } = await answersWithin(
        this.monitor.lag(),
        OUTBOX_CHECK_TIMEOUT_MS,
      );
      const details = { pending, oldestPendingSeconds: Math.round(oldestPendingSeconds) };
      return oldestPendingSeconds <= this.maxLagSeconds
        ? session.up(details)
        : session.down(details);
    } catch (error) {
      return session.down({ message: errorMessage(error) });
    }
  }
}
