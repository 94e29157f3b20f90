/** The hooks of each open transaction (drizzle's transaction object), run once it committed. */
const hooksByTransaction = new WeakMap<object, (() => void)[]>();

/**
 * Runs `hook` once the transaction `tx` has committed (not if it rolls back), e.g. to wake a
 * relay for the rows it wrote. The same function registered again in one transaction still runs
 * once: a transaction that writes to the outbox several times wakes its relay once. False when
 * `tx` is not a transaction of this platform's adapter (a test double): the hook will not run.
 */
export function afterCommit(tx: object, hook: () => void): boolean {
  const hooks = hooksByTransaction.get(tx);
  if (hooks && !hooks.includes(hook)) hooks.push(hook);
  return hooks !== undefined;
}

/** Registers a transaction (a savepoint shares its outer transaction's hooks). */
export function trackCommitHooks(tx: object, hooks: (() => void)[] = []): (() => void)[] {
  hooksByTransaction.set(tx, hooks);
  return hooks;
}

export function commitHooksOf(tx: object): (() => void)[] | undefined {
  return hooksByTransaction.get(tx);
}

/** A hook is a wake-up call: one that throws must not turn a committed transaction into an error. */
export function runCommitHooks(hooks: (() => void)[]): void {
  for (const hook of hooks) {
    try {
      hook();
    } catch {
      // Nothing to undo: the transaction committed.
    }
  }
}
