import { Injectable } from '@nestjs/common';

/** Knows whether the process is draining, so readiness can go down before anything closes. */
@Injectable()
export class ServiceLifecycle {
  private shuttingDown = false;

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  beginShutdown(): void {
    this.shuttingDown = true;
  }
}
