interface PendingCall {
  resolve: (reply: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * RPC calls waiting for their reply, keyed by correlation id: a reply finds its caller in one
 * lookup however many calls are in flight. Each call settles once — by its reply, by a failure
 * reported for it, or by its deadline — and whatever comes later for it is ignored.
 */
export class PendingCalls {
  private readonly calls = new Map<string, PendingCall>();

  get size(): number {
    return this.calls.size;
  }

  /** Registers a call; the promise rejects with `onDeadline()` if nothing settles it in time. */
  wait(correlationId: string, deadlineMs: number, onDeadline: () => Error): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(correlationId, onDeadline()), deadlineMs);
      this.calls.set(correlationId, { resolve, reject, timer });
    });
  }

  /** Settles a call with its reply; false when no call waits for it (any more). */
  answer(correlationId: string, reply: unknown): boolean {
    const call = this.take(correlationId);
    call?.resolve(reply);
    return call !== undefined;
  }

  fail(correlationId: string, error: Error): void {
    this.take(correlationId)?.reject(error);
  }

  /** Fails every call still waiting, e.g. when the channel their replies would come on closed. */
  failAll(error: Error): void {
    for (const correlationId of [...this.calls.keys()]) this.fail(correlationId, error);
  }

  private take(correlationId: string): PendingCall | undefined {
    const call = this.calls.get(correlationId);
    if (!call) return undefined;
    clearTimeout(call.timer);
    this.calls.delete(correlationId);
    return call;
  }
}
