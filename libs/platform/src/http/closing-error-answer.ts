import { CORRELATION_ID_HEADER } from '@app/correlation';
import { STATUS_CODES } from 'node:http';

/**
 * A refusal answered by one of Node's own server listeners, before Express: the error body shape
 * every other error of this service has, its correlation id, and the connection closed.
 */
export function closingErrorAnswer(
  status: number,
  message: string,
  correlationId: string,
): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify({ statusCode: status, error: STATUS_CODES[status], message });
  return {
    headers: {
      [CORRELATION_ID_HEADER]: correlationId,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
      Connection: 'close',
    },
    body,
  };
}
