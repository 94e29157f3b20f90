import { escapeLiteral } from 'pg';

type Scalar = string | number | bigint | boolean | null | undefined;

function isScalar(value: unknown): value is Scalar {
  return (
    value === null || ['string', 'number', 'bigint', 'boolean', 'undefined'].includes(typeof value)
  );
}

/**
 * `text` with its `$n` placeholders replaced by escaped literals, so it can travel in a
 * simple-protocol query together with other statements (BEGIN). An untyped literal is typed by
 * its context as an untyped parameter is, so the statement means the same. Undefined (the
 * statement is sent on its own, as before) when a value is not a scalar pg sends as text
 * (a Buffer, a Date, an array) or the text holds a backslash or a comment it would have to parse.
 */
export function inlineParameters(
  text: string,
  values: readonly unknown[] = [],
): string | undefined {
  if (!values.every(isScalar) || /\\|--|\/\*/.test(text)) return undefined;
  let out = '';
  let quote: string | undefined;
  let at = 0;
  while (at < text.length) {
    const char = text[at];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '$' && !/\w/.test(text[at - 1] ?? '') && /\d/.test(text[at + 1] ?? '')) {
      const digits = /^\d+/.exec(text.slice(at + 1))?.[0] ?? '';
      const index = Number(digits) - 1;
      if (index >= values.length) return undefined;
      out += literal(values[index]);
      at += 1 + digits.length;
      continue;
    }
    out += char;
    at += 1;
  }
  return quote ? undefined : out;
}

function literal(value: Scalar): string {
  return value === null || value === undefined ? 'NULL' : escapeLiteral(String(value));
}
