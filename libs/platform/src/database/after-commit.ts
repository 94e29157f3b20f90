/** Work to do once a transaction has rolled back: awaited before its error reaches the caller. */
export type RollbackHook = () => Promise<void>;

/** What an open transaction runs once it is over, by outcome. */
export interface TransactionHooks {
  committed: (() => void)[];
  rolledBack: RollbackHook[];
}

/** The hooks of each open transaction (drizzle's transaction object). */
const hooksByTransaction = new WeakMap<object, TransactionHooks>();

/**
 * Runs `hook` once the transaction `tx` has committed (not if it rolls back), e.g. to wake a
 * relay for the rows it wrote. The same function registered again in one transaction still runs
 * once: a transaction that writes to the outbox several times wakes its relay once. False when
 * `tx` is not a transaction of this platform's adapter (a test double): the hook will not run.
 */
export function afterCommit(tx: object, hook: () => void): boolean {
  const hooks = hooksByTransaction.get(tx)?.committed;
  if (hooks && !hooks.includes(hook)) hooks.push(hook);
  return hooks !== undefined;
}

/**
 * Runs `hook` once the transaction `tx` has rolled back and its connection is released, before
 * the error reaches the caller: for what must outlive the rollback yet must not wait on the
 * transaction's own row locks, e.g. recording a failed attempt at the work it held them for. A
 * hook registered in a savepoint runs if the outer transaction rolls back. False when `tx` is not
 * a transaction of this platform's adapter: the hook will not run.
 */
export function afterRollback(tx: object, hook: RollbackHook): boolean {
  const hooks = hooksByTransaction.get(tx)?.rolledBack;
  hooks?.push(hook);
  return hooks !== undefined;
}

/**
 * Registers a transaction for hooks. A savepoint is registered with its outer transaction's
 * hooks (`hooksOf(outer)`): what it registers runs with the outer transaction's outcome.
 */
export function trackHooks(
  tx: object,
  hooks: TransactionHooks = { committed: [], rolledBack: [] },
): TransactionHooks {
  hooksByTransaction.set(tx, hooks);
  return hooks;
}

export function hooksOf(tx: object): TransactionHooks | undefined {
  return hooksByTransaction.get(tx);
}

/** A hook is a wake-up call: one that throws must not turn a committed transaction into an error. */
export function runCommitHooks(hooks: TransactionHooks): void {
  for (const hook of hooks.committed) {
    try {
      hook();
    } catch {
      // Nothing to undo: the transaction committed.
    }
  }
}

/**
 * Each hook in turn. One that fails is passed over: the transaction's own error is what the
 * caller must see, and a hook reports its own failures.
 */
export async function runRollbackHooks(hooks: TransactionHooks): Promise<void> {
  for (const hook of hooks.rolledBack) await hook().catch(() => undefined);
}
