import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A JSON body not in UTF-8; answerUnreadableJson answers it with its status. */
export class NotUtf8BodyError extends Error {
  // body-parser's verify failures are 403 unless the error names its own status.
  constructor(
    readonly status: 400 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'NotUtf8BodyError';
  }
}

/**
 * The JSON parser's `verify`: JSON exchanged between systems is UTF-8 (RFC 8259). A body sent as
 * UTF-8 (the default) holding bytes that are not is refused (400): decoded, each would become
 * U+FFFD, and an order would hold text its client never sent (two different bodies then hashing
 * alike under one Idempotency-Key), where a message body so broken is dead-lettered. Another
 * `utf-*` charset, which the parser would decode as leniently, is refused too (415).
 * Nest drops a `verify` when the app is created with `rawBody: true`: the services are not.
 */
export function requireUtf8Body(
  _request: IncomingMessage,
  _response: ServerResponse,
  body: Buffer,
  encoding: string,
): void {
  if (encoding !== 'utf-8') {
    throw new NotUtf8BodyError(
      415,
      `The request body must be JSON in UTF-8, not ${encoding.toUpperCase()} (Content-Type: application/json)`,
    );
  }
  if (!isUtf8(body)) throw new NotUtf8BodyError(400, 'The request body is not valid UTF-8');
}
