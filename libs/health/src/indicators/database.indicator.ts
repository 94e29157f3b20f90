import { DatabasePing, errorMessage } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

@Injectable()
export class DatabaseIndicator {
  constructor(
    private readonly ping: DatabasePing,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check() {
    const session = this.indicators.check('database');
    try {
      await this.ping.answers();
      return session.up();
    } catch (error) {
      return session.down({ message: errorMessage(error) });
    }
  }
}
