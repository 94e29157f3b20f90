/**
 * Just enough of Prometheus's two formats for the deployment specs: the metric selectors, label
 * matchers and grouping labels of a PromQL expression, and the samples of a /metrics page.
 */

export type MatchOperator = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  label: string;
  operator: MatchOperator;
  value: string;
}

export interface Selector {
  metric: string;
  matchers: Matcher[];
}

export interface Expression {
  selectors: Selector[];
  /** Labels named in by (…), without (…), on (…), ignoring (…), group_left/right (…). */
  grouping: string[];
  /** Functions and aggregation operators, in order of appearance. */
  functions: string[];
}

const TOKEN =
  /\s+|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|\[[^\]]*\]|\$\{?\w+\}?|[A-Za-z_:][\w:]*|(?:\d+(?:ms|[smhdwy]))+(?![\w:])|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|=~|!~|!=|==|<=|>=|[-+*/%^<>=(){},@]/y;
const IDENTIFIER = /^[A-Za-z_:][\w:]*$/;
const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const KEYWORDS = new Set([...GROUPING, 'bool', 'offset', 'and', 'or', 'unless', 'atan2']);
const OPERATORS = new Set<string>(['=', '!=', '=~', '!~']);

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(expression);
    if (!match) throw new Error(`Unreadable PromQL at ${at}: "${expression.slice(at)}"`);
    if (match[0].trim()) tokens.push(match[0]);
  }
  return tokens;
}

function unquote(literal: string): string {
  if (literal.startsWith('"')) return JSON.parse(literal) as string;
  if (/^['`]/.test(literal)) return literal.slice(1, -1);
  throw new Error(`Expected a string, got ${literal}`);
}

/** The parts of a PromQL expression that name metrics and labels. */
export function readExpression(expression: string): Expression {
  const tokens = tokenize(expression);
  const result: Expression = { selectors: [], grouping: [], functions: [] };
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    const next = tokens[i + 1];
    if (!IDENTIFIER.test(token)) continue;
    if (KEYWORDS.has(token)) {
      if (GROUPING.has(token) && next === '(') {
        const close = tokens.indexOf(')', i);
        result.grouping.push(...tokens.slice(i + 2, close).filter((part) => part !== ','));
        i = close;
      }
      continue;
    }
    // sum (…), rate(…), and sum by (…) (…).
    if (next === '(' || next === 'by' || next === 'without') {
      result.functions.push(token);
      continue;
    }
    const selector: Selector = { metric: token, matchers: [] };
    if (next === '{') {
      let j = i + 2;
      while (tokens[j] !== '}') {
        const [label, operator, value] = tokens.slice(j, j + 3);
        if (!IDENTIFIER.test(label) || !OPERATORS.has(operator) || value === undefined) {
          throw new Error(`Unreadable label matcher in "${expression}"`);
        }
        selector.matchers.push({
          label,
          operator: operator as MatchOperator,
          value: unquote(value),
        });
        j += tokens[j + 3] === ',' ? 4 : 3;
      }
      i = j;
    }
    result.selectors.push(selector);
  }
  return result;
}

/** Whether a series with these labels satisfies the matcher (PromQL regexes are anchored). */
export function matches(matcher: Matcher, labels: Record<string, string>): boolean {
  const value = labels[matcher.label] ?? '';
  switch (matcher.operator) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return new RegExp(`^(?:${matcher.value})$`).test(value);
    case '!~':
      return !new RegExp(`^(?:${matcher.value})$`).test(value);
  }
}

/** The labels a legend format such as "{{queue}} {{outcome}}" shows. */
export function legendLabels(format: string): string[] {
  return [...format.matchAll(/\{\{\s*([A-Za-z_]\w*)\s*\}\}/g)].map((match) => match[1]);
}
