import { MetricNames } from '@app/telemetry';
import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { BrokerConnection } from '../broker-connection';

/**
 * 1 while RabbitMQ blocks the service's connection (a memory or disk alarm), labelled with the
 * broker's reason; 0 otherwise. Read at each scrape from BrokerConnection, the one owner of that
 * state, so it cannot drift from what readiness reports.
 */
export const brokerBlockedGauge = makeGaugeProvider({
  name: MetricNames.brokerBlocked,
  help: 'Whether RabbitMQ blocks this service’s connection (a resource alarm): 1 while it does',
  labelNames: ['reason'],
  inject: [BrokerConnection],
  collect(this: Gauge<string>, broker: BrokerConnection) {
    this.reset();
    const reason = broker.blockedReason;
    if (reason === undefined) this.set(0);
    else this.set({ reason }, 1);
  },
});
