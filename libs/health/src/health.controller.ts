import { ServiceLifecycle } from '@app/platform';
import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { BrokerIndicator } from './indicators/broker.indicator';
import { DatabaseIndicator } from './indicators/database.indicator';
import { OutboxIndicator } from './indicators/outbox.indicator';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseIndicator,
    private readonly broker: BrokerIndicator,
    private readonly outbox: OutboxIndicator,
    private readonly lifecycle: ServiceLifecycle,
  ) {}

  /** The process is up and serving HTTP; nothing external is checked, so a restart won't fix a dependency. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /**
   * Ready for traffic: database reachable, broker connected, every consumer attached, the outbox
   * relay keeping up, and not draining.
   */
  @Get('ready')
  @HealthCheck()
  ready() {
    if (this.lifecycle.isShuttingDown) {
      throw new ServiceUnavailableException({
        status: 'error',
        error: { shutdown: { status: 'down' } },
      });
    }
    return this.health.check([
      () => this.database.check(),
      () => this.broker.connection(),
      () => this.broker.consumersAttached(),
      () => this.outbox.check(),
    ]);
  }
}
