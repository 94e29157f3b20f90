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

/** Work to do once a transaction has rolled back: awaited before its error reaches the caller. */
export type RollbackHook = () => Promise<void>;

const rollbackHooksByTransaction = new WeakMap<object, RollbackHook[]>();

/**
 * Runs `hook` once the transaction `tx` has rolled back and its connection is released, before
 * the error reaches the caller: for what must outlive the rollback yet must not wait on the
 * transaction's own row locks, e.g. recording a failed attempt at the work it held them for. A
 * hook registered in a savepoint runs if the outer transaction rolls back. False when `tx` is not
 * a transaction of this platform's adapter: the hook will not run.
 */
export function afterRollback(tx: object, hook: RollbackHook): boolean {
  const hooks = rollbackHooksByTransaction.get(tx);
  hooks?.push(hook);
  return hooks !== undefined;
}

/** Registers a transaction (a savepoint shares its outer transaction's hooks). */
export function trackRollbackHooks(tx: object, hooks: RollbackHook[] = []): RollbackHook[] {
  rollbackHooksByTransaction.set(tx, hooks);
  return hooks;
}

export function rollbackHooksOf(tx: object): RollbackHook[] | undefined {
  return rollbackHooksByTransaction.get(tx);
}

/**
 * Each hook in turn. One that fails is passed over: the transaction's own error is what the
 * caller must see, and a hook reports its own failures.
 */
export async function runRollbackHooks(hooks: RollbackHook[]): Promise<void> {
  for (const hook of hooks) await hook().catch(() => undefined);
}
