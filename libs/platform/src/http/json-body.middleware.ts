import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * Refuses a body that is not sent as JSON with 415, naming the Content-Type to use. The JSON
 * parser passes such a body over, so a route would otherwise see none and answer 400 "expected
 * object, received undefined": what `curl -d '{…}'` without `-H 'content-type: …'` gets, as
 * curl then sends a form.
 */
export function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  if (!hasBody(req) || mediaTypeOf(req) === 'application/json') {
    next();
    return;
  }
  next(
    new UnsupportedMediaTypeException(
      'The request body must be JSON (Content-Type: application/json)',
    ),
  );
}

function hasBody(req: Request): boolean {
  return (
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0
  );
}

function mediaTypeOf(req: Request): string | undefined {
  return req.headers['content-type']?.split(';')[0].trim().toLowerCase();
}
