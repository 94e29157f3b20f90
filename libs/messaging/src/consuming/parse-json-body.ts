import type { ConsumeMessage } from 'amqplib';
import type { z } from 'zod';
import { errorMessage } from '../errors';

export type ParsedBody = { ok: true; value: unknown } | { ok: false; reason: string };

/** Reads a JSON body, refusing oversized and non-JSON content with a reason fit for the DLQ. */
export function parseJsonBody(message: ConsumeMessage, maxBytes: number): ParsedBody {
  const size = message.content.length;
  if (size > maxBytes) {
    return { ok: false, reason: `message of ${size} bytes exceeds the ${maxBytes}-byte limit` };
  }
  const contentType = message.properties.contentType as string | undefined;
  if (contentType && !contentType.toLowerCase().startsWith('application/json')) {
    return { ok: false, reason: `unsupported content type "${contentType}"` };
  }
  try {
    return { ok: true, value: JSON.parse(message.content.toString('utf8')) as unknown };
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
