import { type Exposition, parseExposition, type Sample, type ServiceProcess } from '@app/testing';
import { matches, type Selector } from './promql';

/** The /metrics pages of running services, scraped as Prometheus would, and their samples. */
export class ScrapedMetrics {
  /** The latest page of each process, by `name:port`. */
  readonly pages = new Map<string, Exposition>();

  /** GET /metrics of every running process, kept by process. */
  async scrape(services: readonly ServiceProcess[]): Promise<void> {
    for (const running of services) {
      const response = await fetch(`${running.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      this.pages.set(`${running.name}:${running.port}`, parseExposition(await response.text()));
    }
  }

  allSamples(): Sample[] {
    return [...this.pages.values()].flatMap((page) => page.samples);
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
