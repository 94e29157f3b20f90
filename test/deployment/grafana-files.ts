import { parse } from 'yaml';
import { readExpression, type Selector } from './promql';
import { readText } from './repo-files';

/**
 * Grafana's files under deploy/grafana as the deployment specs read them: the provisioned
 * datasources and dashboard providers, and the dashboard with its panels and queries.
 */

export const DATASOURCES_FILE = 'deploy/grafana/provisioning/datasources/prometheus.yml';
export const PROVIDERS_FILE = 'deploy/grafana/provisioning/dashboards/dashboards.yml';
export const DASHBOARD_FILE = 'deploy/grafana/dashboards/messaging.json';

interface Datasource {
  name: string;
  uid?: string;
  type: string;
  url?: string;
  access?: string;
}

interface DashboardProvider {
  name: string;
  type?: string;
  options?: { path?: string };
}

interface DatasourceRef {
  type?: string;
  uid?: string;
}

export interface Query {
  refId?: string;
  expr?: string;
  legendFormat?: string;
  datasource?: DatasourceRef;
}

export interface Panel {
  id?: number;
  type: string;
  title?: string;
  datasource?: DatasourceRef;
  gridPos?: { h: number; w: number; x: number; y: number };
  targets?: Query[];
  panels?: Panel[];
}

export interface Dashboard {
  uid?: string;
  title?: string;
  schemaVersion?: number;
  panels?: Panel[];
  templating?: { list?: unknown[] };
}

const datasources = (parse(readText(DATASOURCES_FILE)) as { datasources?: Datasource[] })
  .datasources;
export const providers = (parse(readText(PROVIDERS_FILE)) as { providers?: DashboardProvider[] })
  .providers;
export const dashboardText = readText(DASHBOARD_FILE);

export function loadDashboard(): Dashboard {
  return JSON.parse(dashboardText) as Dashboard;
}

/** Every panel and row, those inside collapsed rows included. */
export function panelsAndRowsOf(dashboard: Dashboard): Panel[] {
  return (dashboard.panels ?? []).flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** Every panel, those inside collapsed rows included, rows themselves left out. */
export function panelsOf(dashboard: Dashboard): Panel[] {
  return panelsAndRowsOf(dashboard).filter((panel) => panel.type !== 'row');
}

/** Every query of the dashboard, with the panel it belongs to. */
export function queriesOf(dashboard: Dashboard): { panel: Panel; target: Query; expr: string }[] {
  return panelsOf(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ panel, target, expr: target.expr ?? '' })),
  );
}

/** The names of the series the dashboard's queries select. */
export function dashboardMetrics(): Set<string> {
  return new Set(
    queriesOf(loadDashboard()).flatMap(({ expr }) =>
      readExpression(expr).selectors.map((selector) => selector.metric),
    ),
  );
}

export function prometheusDatasource(): Datasource {
  const found = (datasources ?? []).filter((datasource) => datasource.type === 'prometheus');
  if (found.length !== 1)
    throw new Error(`${DATASOURCES_FILE}: expected one Prometheus datasource`);
  return found[0];
}

/** The selector of `metric` in the panel whose title matches. */
export function panelSelector(title: RegExp, metric: string): Selector {
  const found = queriesOf(loadDashboard())
    .filter(({ panel }) => title.test(panel.title ?? ''))
    .flatMap(({ expr }) => readExpression(expr).selectors)
    .find((selector) => selector.metric === metric);
  if (!found) throw new Error(`No panel titled ${title} queries ${metric}`);
  return found;
}
