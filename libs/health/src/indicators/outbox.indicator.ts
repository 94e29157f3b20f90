import { OutboxMonitor } from '@app/outbox';
import { type BaseConfig, errorMessage } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';

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
      const { pending, oldestPendingSeconds } = await this.monitor.lag();
      const details = { pending, oldestPendingSeconds: Math.round(oldestPendingSeconds) };
      return oldestPendingSeconds <= this.maxLagSeconds
        ? session.up(details)
        : session.down(details);
    } catch (error) {
      return session.down({ message: errorMessage(error) });
    }
  }
}
