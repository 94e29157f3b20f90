import { acceptOrCreateCorrelationId, CORRELATION_ID_HEADER } from '@app/correlation';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { closingErrorAnswer } from './closing-error-answer';

/**
 * The server's 'checkExpectation' listener: a request whose `Expect` header is anything but
 * `100-continue` never reaches Express; Node would answer it with a bare 417 of its own. Here
 * the 417 carries what every other error of this service does: the request's correlation id (or
 * a new one) and the error body shape.
 */
export function answerUnmetExpectation(request: IncomingMessage, response: ServerResponse): void {
  const { headers, body } = closingErrorAnswer(
    417,
    'Only "Expect: 100-continue" is supported',
    acceptOrCreateCorrelationId(request.headers[CORRELATION_ID_HEADER]),
  );
  response.writeHead(417, headers);
  response.end(body);
}
