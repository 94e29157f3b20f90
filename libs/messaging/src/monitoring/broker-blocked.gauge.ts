import { MetricNames } from '@app/telemetry';
import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { BrokerConnection } from '../broker-connection';

/**
 * 1 while RabbitMQ blocks the service's connection (a memory or disk alarm), 0 otherwise. Read
 * at each scrape from BrokerConnection, the one owner of that state, so it cannot drift from
 * what readiness reports. The broker's reason is in the log and in readiness, not a label: one
 * series throughout, whose alert's `for` a change of reason does not restart.
 */
export const brokerBlockedGauge = makeGaugeProvider({
  name: MetricNames.brokerBlocked,
  help: 'Whether RabbitMQ blocks this service’s connection (a resource alarm): 1 while it does',
  inject: [BrokerConnection],
  collect(this: Gauge, broker: BrokerConnection) {
    this.set(broker.blockedReason === undefined ? 0 : 1);
  },
});
