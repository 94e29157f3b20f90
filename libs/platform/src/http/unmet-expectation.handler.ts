import { acceptOrCreateCorrelationId, CORRELATION_ID_HEADER } from '@app/correlation';
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';

/**
 * The server's 'checkExpectation' listener: a request whose `Expect` header is anything but
 * `100-continue` never reaches Express; Node would answer it with a bare 417 of its own. Here
 * the 417 carries what every other error of this service does: the request's correlation id (or
 * a new one) and the error body shape.
 */
export function answerUnmetExpectation(request: IncomingMessage, response: ServerResponse): void {
  const body = JSON.stringify({
    statusCode: 417,
    error: STATUS_CODES[417],
    message: 'Only "Expect: 100-continue" is supported',
  });
  response.writeHead(417, {
    [CORRELATION_ID_HEADER]: acceptOrCreateCorrelationId(request.headers[CORRELATION_ID_HEADER]),
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    Connection: 'close',
  });
  response.end(body);
}
