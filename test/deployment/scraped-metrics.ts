import {
  type Exposition,
  parseExposition,
  type Sample,
  type ServiceProcess,
  testSettings,
} from '@app/testing';
import { BROKER_JOB, BROKER_METRICS_PORT, scrapeConfig } from './prometheus-config';
import { matches, type Selector } from './promql';

/** Where the broker's rabbitmq_prometheus plugin answers: RABBITMQ_PROMETHEUS_URL, or its port. */
function brokerMetricsBase(): string {
  const amqp = new URL(testSettings.rabbitmqUrl);
  return (
    testSettings.brokerMetricsUrl ?? `http://${amqp.hostname}:${BROKER_METRICS_PORT}`
  ).replace(/\/$/, '');
}

/** The /metrics pages of running services, scraped as Prometheus would, and their samples. */
export class ScrapedMetrics {
  /** The latest page of each process, by `name:port`. */
  readonly pages = new Map<string, Exposition>();
  /** The broker's latest page, its per-queue series for one virtual host. */
  broker?: Exposition;

  /** GET /metrics of every running process, kept by process. */
  async scrape(services: readonly ServiceProcess[]): Promise<void> {
    for (const running of services) {
      const response = await fetch(`${running.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      this.pages.set(`${running.name}:${running.port}`, parseExposition(await response.text()));
    }
  }

  /**
   * RabbitMQ's page as prometheus.yml's broker job asks for it (path and params), for `vhost`
   * only: the broker is shared with other test runs.
   */
  async scrapeBroker(vhost: string): Promise<void> {
    const job = scrapeConfig(BROKER_JOB);
    const query = new URLSearchParams({ vhost });
    for (const [name, values] of Object.entries(job.params ?? {})) {
      for (const value of values) query.append(name, value);
    }
    const url = `${brokerMetricsBase()}${job.metrics_path ?? '/metrics'}?${query.toString()}`;
    const response = await fetch(url).catch((error: unknown) => {
      throw new Error(
        `RabbitMQ's metrics do not answer at ${url}: enable them with ` +
          '`rabbitmq-plugins enable rabbitmq_prometheus`, or set RABBITMQ_PROMETHEUS_URL',
        { cause: error },
      );
    });
    expect(response.status).toBe(200);
    this.broker = parseExposition(await response.text());
  }

  /** Every page scraped: the services' and the broker's. */
  expositions(): Exposition[] {
    return [...this.pages.values(), ...(this.broker ? [this.broker] : [])];
  }

  allSamples(): Sample[] {
    return this.expositions().flatMap((page) => page.samples);
  }

  samplesOf(metric: string): Sample[] {
    return this.allSamples().filter((sample) => sample.name === metric);
  }

  /** The samples a PromQL selector picks. */
  selected(selector: Selector): Sample[] {
    return this.samplesOf(selector.metric).filter((sample) =>
      selector.matchers.every((matcher) => matches(matcher, sample.labels)),
    );
  }
}
