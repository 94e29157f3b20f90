import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A JSON body whose bytes are not UTF-8; answerUnreadableJson answers it with a 400. */
export class InvalidUtf8BodyError extends Error {
  // body-parser's verify failures are 403 unless the error names its own status.
  readonly status = 400;
  readonly type = 'entity.encoding.invalid';

  constructor() {
    super('The request body is not valid UTF-8');
  }
}

/**
 * The JSON parser's `verify`: refuses a body sent as UTF-8 (the default) holding bytes that are
 * not. Decoded, each would become U+FFFD, and an order would hold text its client never sent
 * (two different bodies then hashing alike under one Idempotency-Key), where a message body so
 * broken is dead-lettered rather than read.
 */
export function refuseInvalidUtf8(
  _request: IncomingMessage,
  _response: ServerResponse,
  body: Buffer,
  encoding: string,
): void {
  if (encoding === 'utf-8' && !isUtf8(body)) throw new InvalidUtf8BodyError();
}
