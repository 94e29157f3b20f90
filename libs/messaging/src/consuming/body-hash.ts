import { createHash } from 'node:crypto';

/**
 * sha256 (hex) of a message body as it came off the wire. The inbox keeps it with the message
 * id, so a second message reusing an id with another body can be told from a redelivery.
 */
export function bodyHash(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
