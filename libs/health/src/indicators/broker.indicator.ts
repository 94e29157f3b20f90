import { BrokerConnection, ConsumerHost } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

@Injectable()
export class BrokerIndicator {
  constructor(
    private readonly broker: BrokerConnection,
    private readonly consumerHost: ConsumerHost,
    private readonly indicators: HealthIndicatorService,
  ) {}

  /**
   * Blocked by a resource alarm is still up: the service takes requests, its events wait in the
   * outbox, and every replica is blocked alike, so taking this one out of service helps nothing.
   */
  connection() {
    const session = this.indicators.check('broker');
    if (!this.broker.isConnected) return session.down({ message: 'not connected to RabbitMQ' });
    const blocked = this.broker.blockedReason;
    return blocked === undefined ? session.up() : session.up({ blocked });
  }

  /**
   * Connected is not enough: every queue this service declares must have our consumer on it.
   * `inFlight`, by queue, counts the messages its handlers hold: one that never goes down while
   * the queue waits is a stuck handler.
   */
  consumersAttached() {
    const session = this.indicators.check('consumers');
    const status = this.consumerHost.status();
    const detached = status
      .filter((consumer) => !consumer.consuming)
      .map((consumer) => consumer.queue);
    const queues = status.map((consumer) => consumer.queue);
    const inFlight = Object.fromEntries(
      status.map((consumer) => [consumer.queue, consumer.inFlight]),
    );
    return detached.length === 0
      ? session.up({ queues, inFlight })
      : session.down({ detached, inFlight });
  }
}
