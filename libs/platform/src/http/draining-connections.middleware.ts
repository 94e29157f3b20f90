import type { NextFunction, Request, Response } from 'express';
import type { ServiceLifecycle } from '../bootstrap/service-lifecycle';

/**
 * While the service drains, each response closes its connection (`Connection: close`). A
 * keep-alive connection left open would hold the HTTP server's close for Node's keep-alive
 * timeout after the drain, long enough to run past the shutdown's time limit.
 */
export function closeConnectionsWhileDraining(lifecycle: ServiceLifecycle) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    if (lifecycle.isShuttingDown) res.set('Connection', 'close');
    next();
  };
}
