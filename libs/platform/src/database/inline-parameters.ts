export type Scalar = string | number | bigint | boolean | null | undefined;

/**
 * A value pg sends as text that can also stand in the query text. Not a string with a NUL
 * character: the simple protocol ends the query text at it, and PostgreSQL answers a protocol
 * violation, a connection error (08P01) that reads as "database unreachable", so a message
 * holding it would wait for the database forever. Sent as a parameter, it fails as the data
 * error it is (22021), which no retry gets past.
 */
function isInlinable(value: unknown): value is Scalar {
  if (typeof value === 'string') return !value.includes('\0');
  return value === null || ['number', 'bigint', 'boolean', 'undefined'].includes(typeof value);
}

/**
 * A statement's text cut at its placeholders, once per text: `parts[i]` comes before the
 * placeholder `indexes[i]`, the last part after the last one; `arity`, how many values it needs.
 * Undefined: the text cannot be inlined (a backslash, a comment or an unclosed quote it would
 * have to parse).
 */
interface Template {
  parts: string[];
  indexes: number[];
  arity: number;
}

/** A quoted string or identifier, a quote never closed, or a `$n` placeholder not inside a word. */
const TOKENS = /'[^']*'|"[^"]*"|['"]|(?<!\w)\$(\d+)/g;
/** Statements are written once and run many times; a bound keeps ad-hoc SQL from piling up. */
const MAX_TEMPLATES = 500;
const templates = new Map<string, Template | undefined>();

function templateOf(text: string): Template | undefined {
  if (templates.has(text)) return templates.get(text);
  const template = cut(text);
  if (templates.size >= MAX_TEMPLATES) templates.clear();
  templates.set(text, template);
  return template;
}

function cut(text: string): Template | undefined {
  if (/\\|--|\/\*/.test(text)) return undefined;
  const template: Template = { parts: [], indexes: [], arity: 0 };
  let from = 0;
  for (const match of text.matchAll(TOKENS)) {
    if (match[0].length === 1) return undefined;
    if (match[1] === undefined) continue;
    const position = Number(match[1]);
    template.parts.push(text.slice(from, match.index));
    template.indexes.push(position - 1);
    template.arity = Math.max(template.arity, position);
    from = match.index + match[0].length;
  }
  template.parts.push(text.slice(from));
  return template;
}

/**
 * `text` with its `$n` placeholders replaced by escaped literals, so it can travel in a
 * simple-protocol query together with other statements (BEGIN). An untyped literal is typed by
 * its context as an untyped parameter is, so the statement means the same. Undefined (the
 * statement is sent on its own, as before) when a value is not a scalar pg sends as text
 * (a Buffer, a Date, an array) or is a string with a NUL character, or when the text holds a
 * backslash or a comment it would have to parse.
 */
export function inlineParameters(
  text: string,
  values: readonly unknown[] = [],
): string | undefined {
  if (!values.every(isInlinable)) return undefined;
  const template = templateOf(text);
  if (template === undefined || template.arity > values.length) return undefined;
  const { parts, indexes } = template;
  let out = parts[0];
  for (let at = 0; at < indexes.length; at++) {
    out += sqlLiteral(values[indexes[at]]) + parts[at + 1];
  }
  return out;
}

/**
 * A value as an SQL literal for simple-protocol SQL: quotes doubled, and with backslashes an E''
 * string whose backslashes are doubled, so it reads the same whatever
 * standard_conforming_strings says (pg's `escapeLiteral` format, without its walk through the
 * string a character at a time). NULL for null or undefined.
 */
export function sqlLiteral(value: Scalar): string {
  if (value === null || value === undefined) return 'NULL';
  const quoted = String(value).replaceAll("'", "''");
  return quoted.includes('\\') ? ` E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
}
