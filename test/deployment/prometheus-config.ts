import { parse } from 'yaml';
import { readText } from './repo-files';

/**
 * deploy/prometheus/prometheus.yml as the deployment specs read it: its scrape jobs, the targets
 * each one finds, and the labels relabel_configs gives them.
 */

interface RelabelConfig {
  source_labels?: string[];
  separator?: string;
  regex?: string;
  target_label?: string;
  replacement?: string;
  action?: string;
}

export interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  params?: Record<string, string[]>;
  scheme?: string;
  dns_sd_configs?: { names?: string[]; type?: string; port?: number }[];
  static_configs?: { targets?: string[]; labels?: Record<string, string> }[];
  relabel_configs?: RelabelConfig[];
}

export const PROMETHEUS_CONFIG = 'deploy/prometheus/prometheus.yml';
/** The job scraping RabbitMQ's own per-queue metrics (its rabbitmq_prometheus plugin). */
export const BROKER_JOB = 'rabbitmq';
/** The plugin's port, the same in the image, on the operator's nodes and on a local broker. */
export const BROKER_METRICS_PORT = 15692;
const prometheusConfig = parse(readText(PROMETHEUS_CONFIG)) as { scrape_configs?: ScrapeConfig[] };
export const scrapeConfigs = prometheusConfig.scrape_configs ?? [];

export function scrapeConfig(job: string): ScrapeConfig {
  const found = scrapeConfigs.find((config) => config.job_name === job);
  if (!found) throw new Error(`${PROMETHEUS_CONFIG} has no job "${job}"`);
  return found;
}

export interface ScrapeTarget {
  host: string;
  port: number;
  discovery: 'dns' | 'static';
  labels: Record<string, string>;
}

/** The hosts and ports a job scrapes: DNS names (type A, one target per address) or static ones. */
export function targetsOf(config: ScrapeConfig): ScrapeTarget[] {
  const fromDns = (config.dns_sd_configs ?? []).flatMap((dns) => {
    // SRV records carry their own ports; with A records the port comes from the config.
    if (dns.type !== 'A' || dns.port === undefined) {
      throw new Error(`${config.job_name}: DNS discovery should ask for A records, with a port`);
    }
    return (dns.names ?? []).map((host) => ({
      host,
      port: dns.port as number,
      discovery: 'dns' as const,
      labels: {},
    }));
  });
  const fromStatic = (config.static_configs ?? []).flatMap((group) =>
    (group.targets ?? []).map((target) => {
      const [host, port] = target.split(':');
      return { host, port: Number(port), discovery: 'static' as const, labels: group.labels ?? {} };
    }),
  );
  return [...fromDns, ...fromStatic];
}

/** A target's labels after relabel_configs (the replace action, the only one used here). */
export function relabel(config: ScrapeConfig, target: ScrapeTarget): Record<string, string> {
  const labels: Record<string, string> = {
    ...target.labels,
    job: config.job_name,
    __address__: `${target.host}:${target.port}`,
  };
  for (const rule of config.relabel_configs ?? []) {
    if ((rule.action ?? 'replace') !== 'replace' || !rule.target_label) {
      throw new Error(`${config.job_name}: only "replace" relabelling is understood here`);
    }
    const source = (rule.source_labels ?? [])
      .map((name) => labels[name] ?? '')
      .join(rule.separator ?? ';');
    const match = new RegExp(`^(?:${rule.regex ?? '(.*)'})$`).exec(source);
    if (!match) continue;
    labels[rule.target_label] = (rule.replacement ?? '$1').replace(
      /\$\{?(\d+)\}?/g,
      (_, group: string) => match[Number(group)] ?? '',
    );
  }
  return labels;
}
