import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { requireJsonBody } from './json-body.middleware';

function outcome(headers: Record<string, string>): unknown {
  const next = jest.fn();
  requireJsonBody({ headers } as Request, {} as Response, next);
  expect(next).toHaveBeenCalledTimes(1);
  return next.mock.calls[0][0];
}

describe('requireJsonBody', () => {
  it.each([
    ['a JSON body', { 'content-type': 'application/json', 'content-length': '2' }],
    [
      'one with a charset',
      { 'content-type': 'Application/JSON; charset=utf-8', 'content-length': '2' },
    ],
    ['no body', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['an empty body', { 'content-length': '0' }],
  ])('lets %s through', (_name, headers) => {
    expect(outcome(headers)).toBeUndefined();
  });

  it.each([
    [
      'a form, as curl -d sends',
      { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '9' },
    ],
    ['text', { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' }],
    ['no Content-Type', { 'content-length': '9' }],
  ])('refuses %s with 415, naming the Content-Type to send', (_name, headers) => {
    const error = outcome(headers);
    expect(error).toBeInstanceOf(UnsupportedMediaTypeException);
    expect((error as Error).message).toBe(
      'The request body must be JSON (Content-Type: application/json)',
    );
  });
});
