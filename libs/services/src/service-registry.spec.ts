import { EVENTS_EXCHANGE, RPC_EXCHANGE } from '@app/contracts';
import { DEFAULT_POOL_SIZE } from '@app/platform';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { consumerQueue, type QueueDefinition } from '@app/messaging';
import {
  databasePoolSize,
  POOL_HEADROOM,
  publishedExchanges,
  publishedTypes,
} from './service-definition';
import { paymentService } from './payment.service-definition';
import { SERVICE_NAMES, SERVICES, serviceNamed, startsAfter, startWaves } from './service-registry';

const ROOT = join(__dirname, '..', '..', '..');
const readJson = (file: string) =>
  JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, Record<string, unknown>>;

const consumerPrefetch = (queues: Readonly<Record<string, QueueDefinition>>) =>
  Object.values(queues)
    .filter((queue) => queue.kind === 'consumer')
    .reduce((sum, queue) => sum + queue.prefetch, 0);

describe('the service registry', () => {
  it('names each service, port, schema, queue and password variable once', () => {
    const unique = (values: readonly unknown[]) => expect(new Set(values).size).toBe(values.length);
    unique(SERVICE_NAMES);
    unique(SERVICES.map((service) => service.port));
    unique(SERVICES.map((service) => service.database.schema));
    unique(
      SERVICES.flatMap((service) => Object.values(service.topology.queues)).map((q) => q.name),
    );
    unique(SERVICES.map((service) => service.broker.passwordVariable));
  });

  it('names every topology after its service', () => {
    for (const service of SERVICES) expect(service.topology.service).toBe(service.name);
  });

  it('starts a service only after those it names, which are registered', () => {
    for (const name of SERVICE_NAMES) {
      for (const other of startsAfter(name)) expect(SERVICE_NAMES).toContain(other);
    }
    // A generated service names none, so it joins the first wave, before order.
    const waves = startWaves(SERVICE_NAMES);
    expect(waves[0]).toEqual(expect.arrayContaining(['payment', 'notification']));
    expect(waves.at(-1)).toEqual(['order']);
    expect(startWaves(['order', 'notification'])).toEqual([['notification'], ['order']]);
  });

  it("sizes each service's database pool to leave room beside its consumers", () => {
    for (const service of SERVICES) {
      const inFlight = consumerPrefetch(service.topology.queues);
      expect(databasePoolSize(service) - inFlight).toBeGreaterThanOrEqual(POOL_HEADROOM);
    }
    // The default is a floor; a queue added with its prefetch grows the pool.
    for (const service of SERVICES) {
      expect(databasePoolSize(service)).toBeGreaterThanOrEqual(DEFAULT_POOL_SIZE);
    }
    const grown = {
      topology: {
        ...paymentService.topology,
        queues: {
          ...paymentService.topology.queues,
          orderEvents: consumerQueue({ name: 'payment.order-events', prefetch: 10 }),
        },
      },
    };
    expect(databasePoolSize(grown)).toBe(consumerPrefetch(grown.topology.queues) + POOL_HEADROOM);
  });

  it('finds a service by its name', () => {
    expect(serviceNamed('payment').port).toBe(3001);
  });

  it('has an app, a Nest project and the npm scripts for every service', () => {
    const { projects } = readJson('nest-cli.json');
    const { scripts } = readJson('package.json');
    for (const name of SERVICE_NAMES) {
      expect(projects[name]).toMatchObject({ type: 'application', root: `apps/${name}` });
      expect(scripts[`start:${name}`]).toContain(`dist/apps/${name}/main.js`);
      expect(scripts.build).toContain(`nest build ${name} `);
      expect(scripts['start:dev']).toContain(`nest start ${name} `);
    }
  });
});

describe('publishedExchanges', () => {
  it('routes events by type, requests by routing key and jobs by queue', () => {
    expect(publishedExchanges(serviceNamed('order'))).toEqual([
      {
        exchange: EVENTS_EXCHANGE,
        routingKeys: ['order.created', 'order.paid', 'order.cancelled', 'payment.refund-requested'],
      },
      { exchange: RPC_EXCHANGE, routingKeys: ['payment.get-by-order'] },
      { exchange: '', routingKeys: ['order.payment-deadlines'] },
    ]);
    expect(publishedExchanges(serviceNamed('notification'))).toEqual([
      { exchange: '', routingKeys: ['notification.deliver'] },
    ]);
  });
});

describe('publishedTypes', () => {
  it("lists the types of a service's events and jobs, whose metric series it keeps", () => {
    expect(publishedTypes(serviceNamed('order'))).toEqual([
      'order.created',
      'order.paid',
      'order.cancelled',
      'payment.refund-requested',
      'order.payment-deadline',
    ]);
    expect(publishedTypes(serviceNamed('payment'))).toEqual([
      'payment.succeeded',
      'payment.failed',
      'payment.refunded',
    ]);
  });
});
