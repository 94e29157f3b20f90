import type { NextFunction, Request, Response } from 'express';
import { CORRELATION_ID_HEADER } from './correlation-headers';
import { correlationIdMiddleware } from './correlation.middleware';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function run(headers: Record<string, string | string[] | undefined>) {
  const request = { headers } as Request;
  const sent: Record<string, unknown> = {};
  const response = {
    setHeader: (name: string, value: unknown) => {
      sent[name.toLowerCase()] = value;
      return response;
    },
  } as unknown as Response;
  const next: jest.MockedFunction<NextFunction> = jest.fn();
  correlationIdMiddleware(request, response, next);
  return { request, sent, next };
}

describe('correlationIdMiddleware', () => {
  it("keeps the caller's valid id and echoes it on the response", () => {
    const { request, sent, next } = run({ [CORRELATION_ID_HEADER]: 'checkout-1234' });
    expect(request.headers[CORRELATION_ID_HEADER]).toBe('checkout-1234');
    expect(sent[CORRELATION_ID_HEADER]).toBe('checkout-1234');
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('creates an id for a request without one, and uses it on both sides', () => {
    const { request, sent, next } = run({});
    expect(sent[CORRELATION_ID_HEADER]).toMatch(UUID);
    expect(request.headers[CORRELATION_ID_HEADER]).toBe(sent[CORRELATION_ID_HEADER]);
    expect(next).toHaveBeenCalledWith();
  });

  it.each([['a'.repeat(200)], ['bad id\r\nx-admin: 1'], [''], [['one', 'two']]])(
    'replaces the unsafe id %p before anything reads it',
    (value) => {
      const { request, sent } = run({ [CORRELATION_ID_HEADER]: value });
      expect(sent[CORRELATION_ID_HEADER]).toMatch(UUID);
      expect(request.headers[CORRELATION_ID_HEADER]).toBe(sent[CORRELATION_ID_HEADER]);
    },
  );
});
