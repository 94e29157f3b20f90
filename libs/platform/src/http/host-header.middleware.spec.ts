import type { NextFunction, Request, Response } from 'express';
import { requireHostHeader } from './host-header.middleware';

function run(httpVersion: string, headers: Record<string, string>) {
  const res = { status: jest.fn(), set: jest.fn(), json: jest.fn() };
  res.status.mockReturnValue(res);
  res.set.mockReturnValue(res);
  const next = jest.fn();
  requireHostHeader(
    { httpVersion, headers } as unknown as Request,
    res as unknown as Response,
    next as NextFunction,
  );
  return { res, next };
}

describe('requireHostHeader', () => {
  it('refuses an HTTP/1.1 request without Host with a 400 in the error shape', () => {
    const { res, next } = run('1.1', {});
    expect(next).not.toHaveBeenCalled();
    expect(res.status).toHaveBeenCalledWith(400);
    expect(res.json).toHaveBeenCalledWith({
      statusCode: 400,
      error: 'Bad Request',
      message: 'An HTTP/1.1 request must carry a Host header',
    });
  });

  it.each([
    ['1.1', { host: 'order:3000' }],
    ['1.0', {}],
  ])('lets HTTP/%s with headers %p through', (version, headers) => {
    expect(run(version, headers).next).toHaveBeenCalledWith();
  });
});
