import {
  BadRequestException,
  HttpException,
  Logger,
  ServiceUnavailableException,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { HttpExceptionFilter } from './http-exception.filter';

class FakeResponse {
  headersSent = false;
  statusCode?: number;
  body?: unknown;
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  json(body: unknown): this {
    this.body = body;
    return this;
  }
}

function answer(exception: unknown, response = new FakeResponse()): FakeResponse {
  const request = { method: 'POST', originalUrl: '/orders' };
  new HttpExceptionFilter().catch(exception, new ExecutionContextHost([request, response]));
  return response;
}

/** The error body-parser raises, with its status on the error object. */
function bodyParserError(status: number, message: string, type: string): Error {
  return Object.assign(new Error(message), { status, statusCode: status, expose: true, type });
}

describe('HttpExceptionFilter', () => {
  let loggedError: jest.SpyInstance;

  beforeEach(() => {
    loggedError = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('answers an HttpException with its status, reason phrase and message', () => {
    const response = answer(new NotFoundException('Order 42 not found'));
    expect(response.statusCode).toBe(404);
    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Order 42 not found',
    });
  });

  it('passes field errors through next to the message', () => {
    const errors = [{ field: 'items.0.quantity', message: 'Too small' }];
    const response = answer(new BadRequestException({ message: 'Validation failed', errors }));
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Validation failed',
      errors,
    });
  });

  it('uses the exception message when the response is a plain string', () => {
    const response = answer(new HttpException('Slow down', 429));
    expect(response.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'Slow down',
    });
  });

  it('answers a too-large body with 413 and a clean message', () => {
    const response = answer(bodyParserError(413, 'request entity too large', 'entity.too.large'));
    expect(response.statusCode).toBe(413);
    expect(response.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body too large',
    });
  });

  it('answers an unsupported charset with 415 and says so', () => {
    const response = answer(
      bodyParserError(415, 'unsupported charset "LATIN-9"', 'charset.unsupported'),
    );
    expect(response.body).toEqual({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: 'Unsupported body encoding or charset',
    });
  });

  // Malformed JSON itself never gets here as this error: Nest maps the parser's SyntaxError
  // first, and answerUnreadableJson answers it. Other 400s of the parser do.
  it("answers a body parser's 400 with a message of its own, not the parser's", () => {
    const parserMessage = `Unexpected token 'p', "password=letmein" is not valid JSON`;
    const response = answer(bodyParserError(400, parserMessage, 'entity.parse.failed'));
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Malformed request body',
    });
    expect(JSON.stringify(response.body)).not.toContain('letmein');
    expect(loggedError).not.toHaveBeenCalled();
  });

  it('answers an unknown error with a generic 500 and logs it instead', () => {
    const failure = new Error('connection to postgres://app:pw@db failed');
    const response = answer(failure);
    expect(response.statusCode).toBe(500);
    expect(response.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
    });
    const sent = JSON.stringify(response.body);
    expect(sent).not.toContain('postgres://');
    expect(sent).not.toContain('at ');
    expect(loggedError).toHaveBeenCalledWith(
      expect.objectContaining({ err: failure, method: 'POST', url: '/orders' }),
      expect.any(String),
    );
  });

  it('answers 503 when the database is unreachable, so clients know to try again', () => {
    const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    const response = answer(new Error('Failed query: select ...', { cause: outage }));
    expect(response.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Temporarily unavailable, try again shortly',
    });
  });

  it('passes a health report through unchanged, in the terminus format', () => {
    const report = {
      status: 'error',
      info: {},
      error: { broker: { status: 'down' } },
      details: {},
    };
    const response = answer(new ServiceUnavailableException(report));
    expect(response.statusCode).toBe(503);
    expect(response.body).toEqual(report);
  });

  it('does not trust a 5xx status carried by a foreign error', () => {
    const response = answer(Object.assign(new Error('upstream said no'), { status: 503 }));
    expect(response.body).toMatchObject({ statusCode: 500, message: 'Internal server error' });
  });

  it('answers a thrown non-Error value with a generic 500', () => {
    expect(answer('boom').body).toMatchObject({
      statusCode: 500,
      message: 'Internal server error',
    });
  });

  it('leaves a response alone once its headers are sent', () => {
    const sent = new FakeResponse();
    sent.headersSent = true;
    answer(new PayloadTooLargeException(), sent);
    expect(sent.statusCode).toBeUndefined();
    expect(sent.body).toBeUndefined();
  });
});
