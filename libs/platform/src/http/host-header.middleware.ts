import { HttpStatus } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import { STATUS_CODES } from 'node:http';

/**
 * Node answers an HTTP/1.1 request without a Host header with a bare 400 of its own, before any
 * middleware runs. `takeOverHostCheck` turns that off and this middleware, after the correlation
 * id's, makes the same refusal: so that 400 carries an `x-correlation-id` and the error shape.
 */
export function requireHostHeader(req: Request, res: Response, next: NextFunction): void {
  if (req.httpVersion !== '1.1' || req.headers.host) {
    next();
    return;
  }
  const status = HttpStatus.BAD_REQUEST;
  res.status(status).set('Connection', 'close').json({
    statusCode: status,
    error: STATUS_CODES[status],
    message: 'An HTTP/1.1 request must carry a Host header',
  });
}

/** The server option `requireHostHeader`, which Node reads per request from the server. */
export function takeOverHostCheck(server: Server): void {
  (server as Server & { requireHostHeader: boolean }).requireHostHeader = false;
}
