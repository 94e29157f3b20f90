import { PassThrough } from 'node:stream';
import { answerClientError } from './client-error.handler';

function socket() {
  const stream = new PassThrough();
  const written: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => written.push(chunk));
  return { stream, text: () => Buffer.concat(written).toString() };
}

const parserError = (code: string) => Object.assign(new Error('Parse Error'), { code });

describe('answerClientError', () => {
  it.each([
    ['HPE_INVALID_HEADER_TOKEN', '400 Bad Request'],
    ['HPE_HEADER_OVERFLOW', '431 Request Header Fields Too Large'],
    ['ERR_HTTP_REQUEST_TIMEOUT', '408 Request Timeout'],
  ])('answers %s with %s, a new x-correlation-id and the error shape', async (code, status) => {
    const { stream, text } = socket();
    answerClientError(parserError(code), stream);
    await new Promise((resolve) => stream.on('end', resolve).resume());
    const [head, body] = text().split('\r\n\r\n');
    expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status}\r\n`));
    expect(head).toMatch(/\r\nx-correlation-id: [0-9a-f-]{36}\r\n/);
    expect(head).toContain('Connection: close');
    expect(JSON.parse(body)).toEqual({
      statusCode: Number(status.slice(0, 3)),
      error: status.slice(4),
      message: 'Malformed HTTP request',
    });
  });

  it('closes a reset connection without writing', () => {
    const { stream } = socket();
    const write = jest.spyOn(stream, 'write');
    answerClientError(parserError('ECONNRESET'), stream);
    expect(write).not.toHaveBeenCalled();
    expect(stream.destroyed).toBe(true);
  });
});
