import { parse } from 'yaml';
import { readText, runTool } from './repo-files';

/**
 * deploy/prometheus/alerts.yml as the deployment specs read it, and promtool, Prometheus's own
 * checker, run on it.
 */

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

export const ALERT_RULES = 'deploy/prometheus/alerts.yml';
export const ALERT_RULE_TESTS = 'deploy/prometheus/alerts.test.yml';

export const alertGroups = (parse(readText(ALERT_RULES)) as { groups: RuleGroup[] }).groups;
export const alertRules = alertGroups.flatMap((group) => group.rules);

/** Runs promtool from the repository's root; its output, or an error with what it printed. */
export function promtool(...args: string[]): string {
  return runTool('promtool', args, {
    needed:
      'the alerting rules specs need it (Debian: apt-get install prometheus; or the promtool of ' +
      'any Prometheus release on PATH)',
  });
}
