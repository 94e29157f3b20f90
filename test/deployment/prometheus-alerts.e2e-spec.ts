import { MetricNames } from '@app/telemetry';
import { basename, posix } from 'node:path';
import { parse } from 'yaml';
import { hostPathOf, mounts } from './compose';
import { ALERT_RULE_TESTS, ALERT_RULES, alertRules, promtool } from './prometheus-rules';
import { PROMETHEUS_CONFIG } from './prometheus-config';
import { readExpression } from './promql';
import { readText, repoPath } from './repo-files';

/**
 * deploy/prometheus/alerts.yml: Prometheus's own checker accepts it and prometheus.yml, its unit
 * tests (alerts.test.yml) pass, compose mounts it where prometheus.yml looks, and
 * docs/operations.md lists its alerts. What the services really expose for the rules is checked
 * by metrics-scrape.e2e-spec.ts; the Kubernetes copy by k8s-manifests.e2e-spec.ts.
 */

interface RuleTests {
  rule_files: string[];
  tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
}

const ruleTests = parse(readText(ALERT_RULE_TESTS)) as RuleTests;

/** The alert names in docs/operations.md's "What to alert on" table, its first column. */
function documentedAlerts(): string[] {
  const docs = readText('docs/operations.md');
  const section = docs.slice(docs.indexOf('## What to alert on'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| ---')));
  return [...table.matchAll(/^\| `(\w+)`/gm)].map((row) => row[1]);
}

describe('deploy/prometheus/alerts.yml: the alerting rules', () => {
  it('passes promtool’s check, loaded by prometheus.yml', () => {
    const output = promtool('check', 'config', PROMETHEUS_CONFIG);
    expect(output).toContain(`SUCCESS: ${alertRules.length} rules found`);
  });

  it('passes its unit tests: each alert fires on its condition, not on its neighbours', () => {
    expect(promtool('test', 'rules', ALERT_RULE_TESTS)).toContain('SUCCESS');
  });

  it('has a unit test in which each alert fires', () => {
    expect(ruleTests.rule_files).toEqual(['alerts.yml']);
    const fired = new Set(
      ruleTests.tests.flatMap((test) =>
        (test.alert_rule_test ?? [])
          .filter((check) => (check.exp_alerts ?? []).length > 0)
          .map((check) => check.alertname),
      ),
    );
    expect(alertRules.map((rule) => rule.alert).filter((name) => !fired.has(name))).toEqual([]);
  });

  it('names only metrics the services define, or RabbitMQ’s per-queue ones', () => {
    const defined = new Set<string>(Object.values(MetricNames));
    // A histogram's series are its name with _bucket, _count or _sum.
    const named = alertRules.flatMap((rule) =>
      readExpression(rule.expr).selectors.map((selector) =>
        selector.metric.replace(/_(bucket|count|sum)$/, (suffix) =>
          defined.has(selector.metric.slice(0, -suffix.length)) ? '' : suffix,
        ),
      ),
    );
    expect(named.length).toBeGreaterThanOrEqual(alertRules.length);
    // Which of RabbitMQ's the broker serves, metrics-scrape.e2e-spec.ts sees in a real scrape.
    expect(
      named.filter(
        (metric) => !defined.has(metric) && !metric.startsWith('rabbitmq_detailed_queue_'),
      ),
    ).toEqual([]);
  });

  it('gives each alert a severity, a summary and a description, under a name of its own', () => {
    const names = alertRules.map((rule) => rule.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of alertRules) {
      expect({ alert: rule.alert, severity: rule.labels?.severity }).toEqual({
        alert: rule.alert,
        severity: expect.stringMatching(/^(warning|critical)$/),
      });
      expect(rule.annotations?.summary).toBeTruthy();
      expect(rule.annotations?.description).toBeTruthy();
    }
  });

  it('is mounted read-only in compose beside prometheus.yml, which names it', () => {
    const config = parse(readText(PROMETHEUS_CONFIG)) as { rule_files?: string[] };
    expect(config.rule_files).toEqual([basename(ALERT_RULES)]);
    // Relative to the configuration's folder in the container, /etc/prometheus.
    const inContainer = posix.join('/etc/prometheus', basename(ALERT_RULES));
    expect(hostPathOf('prometheus', inContainer)).toBe(repoPath(ALERT_RULES));
    expect(mounts('prometheus').find((mount) => mount.target === inContainer)?.readOnly).toBe(true);
  });

  it('is what docs/operations.md lists, alert for alert', () => {
    expect(documentedAlerts()).toEqual(alertRules.map((rule) => rule.alert));
  });
});
