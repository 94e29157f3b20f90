import { ServiceLifecycle } from '@app/platform';
import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ApiHealthResponses } from './api-health-responses.decorator';
import { BrokerIndicator } from './indicators/broker.indicator';
import { DatabaseIndicator } from './indicators/database.indicator';
import { OutboxIndicator } from './indicators/outbox.indicator';

/** Terminus documents its own generic shape when asked; ours names this service's checks. */
const HEALTH_CHECK = { noCache: true, swaggerDocumentation: false };

@ApiTags('health')
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
  @HealthCheck(HEALTH_CHECK)
  @ApiOperation({ summary: 'Liveness: the process serves HTTP (nothing external is checked)' })
  @ApiHealthResponses()
  live() {
    return this.health.check([]);
  }

  /**
   * Ready for traffic: database reachable, broker connected, every consumer attached, the outbox
   * relay keeping up, and not draining.
   */
  @Get('ready')
  @HealthCheck(HEALTH_CHECK)
  @ApiOperation({
    summary: 'Readiness: database, broker, every consumer attached, outbox relay keeping up',
  })
  @ApiHealthResponses()
  ready() {
    this.refuseWhileDraining();
    return this.health.check([
      () => this.database.check(),
      () => this.broker.connection(),
      () => this.broker.consumersAttached(),
      () => this.outbox.check(),
    ]);
  }

  /**
   * Can answer its HTTP routes: the database reachable, and not draining. Kubernetes routes
   * traffic by this, not by readiness: requests ride out a broker outage or a lagging outbox
   * (they commit to the outbox), and both are shared by every replica, so gating on them would
   * take the whole API away at once.
   */
  @Get('serving')
  @HealthCheck(HEALTH_CHECK)
  @ApiOperation({ summary: 'Serving: the database answers and the service is not draining' })
  @ApiHealthResponses()
  serving() {
    this.refuseWhileDraining();
    return this.health.check([() => this.database.check()]);
  }

  private refuseWhileDraining(): void {
    if (this.lifecycle.isShuttingDown) {
      throw new ServiceUnavailableException({
        status: 'error',
        error: { shutdown: { status: 'down' } },
      });
    }
  }
}
