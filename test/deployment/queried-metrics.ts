import { exposes } from '@app/testing';
import { loadDashboard, queriesOf } from './grafana-files';
import { BROKER_JOB, scrapeConfigs } from './prometheus-config';
import { alertRules } from './prometheus-rules';
import { legendLabels, matches, readExpression } from './promql';
import type { ScrapedMetrics } from './scraped-metrics';

/**
 * What the dashboard's and the alerting rules' PromQL asks of the services' metrics, held
 * against a scrape: the metrics they name, and the labels they match, group by and print.
 */

// Labels Prometheus itself adds to every scraped series (job, instance; service from
// prometheus.yml), the bucket bound of histograms, and series it records per target.
const TARGET_LABELS = new Set(['job', 'instance', 'service']);
const PROMETHEUS_SERIES = new Set(['up']);

/** A PromQL expression of the dashboard or the alerting rules, and the labels its text shows. */
export interface Query {
  where: string;
  expr: string;
  /** Labels a legend or an alert's annotations print. */
  printed: string[];
}

export const dashboardQueries = (): Query[] =>
  queriesOf(loadDashboard()).map(({ panel, target, expr }) => ({
    where: panel.title ?? '(untitled panel)',
    expr,
    printed: legendLabels(target.legendFormat ?? ''),
  }));

export const alertQueries = (): Query[] =>
  alertRules.map((rule) => ({
    where: rule.alert,
    expr: rule.expr,
    printed: Object.values(rule.annotations ?? {}).flatMap((text) =>
      [...text.matchAll(/\$labels\.(\w+)/g)].map((match) => match[1]),
    ),
  }));

/** What a query names that the scraped series do not carry, or a service it leaves out. */
export function labelProblems(metrics: ScrapedMetrics, queries: Query[]): string[] {
  const jobs = scrapeConfigs.map((config) => config.job_name).filter((job) => job !== BROKER_JOB);
  return queries.flatMap(({ where, expr, printed }) => {
    const parts = readExpression(expr);
    const carried = new Set([
      ...TARGET_LABELS,
      ...parts.selectors.flatMap(({ metric }) =>
        metrics.samplesOf(metric).flatMap((s) => Object.keys(s.labels)),
      ),
    ]);
    const named = [
      ...parts.selectors.flatMap((selector) => selector.matchers.map((m) => m.label)),
      ...parts.grouping,
      ...printed,
    ];
    const targetMatchers = parts.selectors
      .flatMap((selector) => selector.matchers)
      .filter((matcher) => matcher.label === 'job' || matcher.label === 'service');
    return [
      ...named
        .filter((label) => !carried.has(label))
        .map((label) => `${where}: ${label} in ${expr}`),
      // job and service are prometheus.yml's job names: a query shows every service (the broker
      // is not one), so one added to prometheus.yml, as the generator does, shows unedited.
      ...targetMatchers.flatMap((matcher) =>
        jobs
          .filter((job) => !matches(matcher, { [matcher.label]: job }))
          .map((job) => `${where}: ${matcher.label} leaves out job ${job} in ${expr}`),
      ),
    ];
  });
}

/** The metrics `queries` name that no scraped page exposes. */
export function unexposed(metrics: ScrapedMetrics, queries: Query[]): string[] {
  const names = new Set(
    queries.flatMap(({ expr }) => readExpression(expr).selectors.map(({ metric }) => metric)),
  );
  return [...names].filter(
    (name) =>
      !PROMETHEUS_SERIES.has(name) && !metrics.expositions().some((page) => exposes(page, name)),
  );
}
