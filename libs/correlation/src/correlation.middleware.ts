import type { NextFunction, Request, Response } from 'express';
import { acceptOrCreateCorrelationId, CORRELATION_ID_HEADER } from './correlation-headers';

/**
 * Runs first on every request: settles the correlation id (the caller's when valid, else a new
 * one) and echoes it on the response, so even a 404 or a 413 carries it. The CLS context and
 * the request logger read the id from the normalised header.
 */
export function correlationIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const correlationId = acceptOrCreateCorrelationId(req.headers[CORRELATION_ID_HEADER]);
  req.headers[CORRELATION_ID_HEADER] = correlationId;
  res.setHeader(CORRELATION_ID_HEADER, correlationId);
  next();
}
