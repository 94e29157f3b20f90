import { acceptOrCreateCorrelationId } from '@app/correlation';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { closingErrorAnswer } from './closing-error-answer';

/** The status Node itself would answer (431 for oversized headers, 408 for a slow request). */
function statusOf(error: { code?: unknown }): number {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 431;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

/**
 * The server's 'clientError' listener: a request Node's HTTP parser refuses (a malformed header,
 * an invalid method) never reaches Express, so its answer is written to the socket here. It is
 * Node's own minimal answer plus what every other error of this service carries: an
 * `x-correlation-id` (a new one: the request's could not be read) and the error body shape.
 */
export function answerClientError(error: Error & { code?: unknown }, socket: Duplex): void {
  const inProgress = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inProgress?.headersSent) {
    socket.destroy();
    return;
  }
  const status = statusOf(error);
  const { headers, body } = closingErrorAnswer(
    status,
    'Malformed HTTP request',
    acceptOrCreateCorrelationId(undefined),
  );
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head.join('')}\r\n${body}`);
}
