import type { ConsumeMessage } from 'amqplib';
import { gunzipSync } from 'node:zlib';
import type { z } from 'zod';
import { errorMessage } from '../errors';

export type ParsedBody = { ok: true; value: unknown } | { ok: false; reason: string };
type Decoded = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/** Content encodings that leave the bytes as they are ("utf-8" is what some clients declare). */
const PLAIN_ENCODINGS = new Set(['', 'identity', 'utf-8', 'utf8']);
const GZIP_ENCODINGS = new Set(['gzip', 'x-gzip']);

/** Strict: invalid UTF-8 is refused, not turned into U+FFFD; a leading BOM is dropped. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

const shown = (text: string) => (text.length > 50 ? `${text.slice(0, 50)}…` : text);

/**
 * The body's bytes as the sender meant them: a declared gzip encoding is undone, inflating to at
 * most `maxBytes` (a small body must not become a large one in memory); other encodings refused.
 */
function decodeContent(message: ConsumeMessage, maxBytes: number): Decoded {
  const declared = message.properties.contentEncoding as unknown;
  const encoding = typeof declared === 'string' ? declared.trim().toLowerCase() : '';
  if (PLAIN_ENCODINGS.has(encoding)) return { ok: true, bytes: message.content };
  if (!GZIP_ENCODINGS.has(encoding)) {
    return { ok: false, reason: `unsupported content encoding "${shown(String(declared))}"` };
  }
  try {
    return { ok: true, bytes: gunzipSync(message.content, { maxOutputLength: maxBytes }) };
  } catch (error) {
    const tooLarge = (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
    const reason = tooLarge
      ? `gzip body inflates beyond the ${maxBytes}-byte limit`
      : `gzip body cannot be decompressed: ${errorMessage(error)}`;
    return { ok: false, reason };
  }
}

/**
 * Reads a JSON body, refusing oversized, non-JSON, undecodable and invalid UTF-8 content with a
 * reason fit for the DLQ. A UTF-8 byte order mark is accepted.
 */
export function parseJsonBody(message: ConsumeMessage, maxBytes: number): ParsedBody {
  const size = message.content.length;
  if (size > maxBytes) {
    return { ok: false, reason: `message of ${size} bytes exceeds the ${maxBytes}-byte limit` };
  }
  const contentType = message.properties.contentType as string | undefined;
  if (contentType && !contentType.toLowerCase().startsWith('application/json')) {
    return { ok: false, reason: `unsupported content type "${contentType}"` };
  }
  const decoded = decodeContent(message, maxBytes);
  if (!decoded.ok) return decoded;
  let text: string;
  try {
    text = utf8.decode(decoded.bytes);
  } catch {
    return { ok: false, reason: 'the body is not valid UTF-8' };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: `malformed JSON: ${errorMessage(error)}` };
  }
}

export type ValidatedPayload = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Checks a parsed body against its contract. The reason names each offending field; a schema
 * that throws (a bug in a refinement) is reported as a failure too, never left to escape.
 */
export function validatePayload(schema: z.ZodType, value: unknown): ValidatedPayload {
  try {
    const parsed = schema.safeParse(value);
    if (parsed.success) return { ok: true, value: parsed.data };
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`,
    );
    return { ok: false, reason: issues.join('; ') };
  } catch (error) {
    return { ok: false, reason: `the contract check failed: ${errorMessage(error)}` };
  }
}
