import { MetricNames } from '@app/telemetry';
import {
  dashboardMetrics,
  dashboardText,
  loadDashboard,
  panelsAndRowsOf,
  panelsOf,
  prometheusDatasource,
  queriesOf,
} from './grafana-files';
import { readExpression } from './promql';

/**
 * deploy/grafana/dashboards/messaging.json: valid dashboard JSON, on the provisioned datasource,
 * charting the metrics libs/telemetry defines. What the services really expose is checked by
 * metrics-scrape.e2e-spec.ts.
 */

describe('deploy/grafana/dashboards/messaging.json: the dashboard', () => {
  it('is valid dashboard JSON: uid, title, schema version 39+, unique panel ids, on a 24-column grid', () => {
    const dashboard = loadDashboard();
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
    expect(dashboard.title).toBeTruthy();
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    const all = panelsAndRowsOf(dashboard);
    const ids = all.map((panel) => panel.id);
    expect(ids.every((id) => Number.isInteger(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of all) {
      const grid = panel.gridPos;
      expect(grid).toBeDefined();
      expect((grid?.x ?? 0) + (grid?.w ?? 0)).toBeLessThanOrEqual(24);
    }
    for (const panel of panelsOf(dashboard)) {
      expect(panel.title).toBeTruthy();
      const refIds = (panel.targets ?? []).map((target) => target.refId);
      expect(refIds.length).toBeGreaterThan(0);
      expect(new Set(refIds).size).toBe(refIds.length);
    }
  });

  it('queries the provisioned datasource by its uid, in every panel and query', () => {
    const { uid, type } = prometheusDatasource();
    const dashboard = loadDashboard();
    for (const panel of panelsOf(dashboard)) {
      expect(panel.datasource).toEqual({ type, uid });
      for (const target of panel.targets ?? []) {
        expect(target.datasource ?? panel.datasource).toEqual({ type, uid });
      }
    }
    // Nothing refers to a datasource by a name or a uid that is not provisioned.
    const referenced = [...dashboardText.matchAll(/"uid":\s*"([^"]+)"/g)].map((match) => match[1]);
    expect(
      referenced.filter((ref) => ref !== uid && ref !== dashboard.uid && ref !== '-- Grafana --'),
    ).toEqual([]);
  });

  it('charts every metric the services define (libs/telemetry metric-names)', () => {
    const used = dashboardMetrics();
    const missing = Object.values(MetricNames).filter(
      (name) => ![name, `${name}_bucket`, `${name}_count`, `${name}_sum`].some((n) => used.has(n)),
    );
    expect(missing).toEqual([]);
  });

  it.each([
    ['handler', MetricNames.handlerDuration, 'queue'],
    ['RPC', MetricNames.rpcClientDuration, 'routing_key'],
  ])('shows %s latency as p50, p95 and p99 from the histogram buckets', (_, metric, by) => {
    const quantiles = queriesOf(loadDashboard())
      .map(({ expr }) => ({ expr, parts: readExpression(expr) }))
      .filter(({ parts }) => parts.selectors.some((s) => s.metric === `${metric}_bucket`))
      .map(({ expr, parts }) => {
        expect(parts.functions[0]).toBe('histogram_quantile');
        expect(parts.grouping).toEqual(expect.arrayContaining([by, 'le']));
        return Number(/^histogram_quantile\(\s*([\d.]+)/.exec(expr)?.[1]);
      });
    expect(quantiles.sort()).toEqual([0.5, 0.95, 0.99]);
  });
});
