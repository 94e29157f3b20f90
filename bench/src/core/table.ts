import type { Row, ScenarioResult } from './result-schema';
import type { Summary } from './stats';

export function formatNumber(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value).toLocaleString('en-US');
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function cell(summary: Summary | null, unit = ''): string {
  if (!summary) return '—';
  const suffix = unit ? ` ${unit}` : '';
  if (summary.samples.length === 1) return `${formatNumber(summary.median)}${suffix}`;
  const range = `${formatNumber(summary.min)}–${formatNumber(summary.max)}`;
  return `${formatNumber(summary.median)}${suffix} [${range}]`;
}

function ratioCell(summary: Summary | null): string {
  if (!summary) return '—';
  const fixed = (value: number) => value.toFixed(2);
  if (summary.samples.length === 1) return `${fixed(summary.median)}×`;
  return `${fixed(summary.median)}× [${fixed(summary.min)}–${fixed(summary.max)}]`;
}

function rowCells(scenario: string, row: Row): string[] {
  return [
    scenario,
    `${row.metric} (${row.unit})`,
    cell(row.raw),
    cell(row.starter),
    ratioCell(row.ratio),
    row.target?.text ?? '',
    row.target ? (row.target.met ? 'met' : '**not met**') : '',
  ];
}

const HEADER = ['scenario', 'metric', 'raw median [min–max]', 'starter median [min–max]'];
const HEADER_END = ['ratio starter÷raw', 'target', 'met'];

/** A Markdown table, readable in a terminal and pasted as is into docs/performance.md. */
export function resultTable(scenarios: ScenarioResult[]): string {
  const lines: string[][] = [[...HEADER, ...HEADER_END]];
  for (const scenario of scenarios) {
    if (scenario.status !== 'ok') {
      const why = scenario.status === 'failed' ? `FAILED: ${scenario.error ?? ''}` : 'skipped';
      lines.push([scenario.name, why.split('\n')[0], '', '', '', '', '']);
      continue;
    }
    for (const row of scenario.rows) lines.push(rowCells(scenario.name, row));
  }
  const widths = lines[0].map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  const render = (line: string[]) =>
    `| ${line.map((text, column) => text.padEnd(widths[column])).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [render(lines[0]), rule, ...lines.slice(1).map(render)].join('\n');
}
