import {
  afterCommit,
  afterRollback,
  hooksOf,
  runCommitHooks,
  runRollbackHooks,
  trackHooks,
} from './after-commit';

describe('afterCommit', () => {
  it('runs each hook of a transaction once after its commit, however often it was registered', () => {
    const tx = {};
    const hooks = trackHooks(tx);
    const wake = jest.fn();
    const other = jest.fn();
    expect(afterCommit(tx, wake)).toBe(true);
    afterCommit(tx, wake);
    afterCommit(tx, other);

    runCommitHooks(hooks);
    expect(wake).toHaveBeenCalledTimes(1);
    expect(other).toHaveBeenCalledTimes(1);
  });

  it('shares the hooks of a savepoint with its outer transaction', () => {
    const outer = {};
    const hooks = trackHooks(outer);
    const savepoint = {};
    trackHooks(savepoint, hooksOf(outer));
    const wake = jest.fn();
    afterCommit(savepoint, wake);
    afterCommit(outer, wake);

    runCommitHooks(hooks);
    expect(wake).toHaveBeenCalledTimes(1);
  });

  it('refuses a transaction it does not track, and a throwing hook does not stop the others', () => {
    expect(afterCommit({}, jest.fn())).toBe(false);
    const tx = {};
    const hooks = trackHooks(tx);
    const after = jest.fn();
    afterCommit(tx, () => {
      throw new Error('relay gone');
    });
    afterCommit(tx, after);
    expect(() => runCommitHooks(hooks)).not.toThrow();
    expect(after).toHaveBeenCalledTimes(1);
  });
});

describe('afterRollback', () => {
  it('runs the hooks in turn, awaiting each, and a failing hook does not stop the next', async () => {
    const tx = {};
    const hooks = trackHooks(tx);
    const ran: string[] = [];
    afterRollback(tx, async () => {
      await Promise.resolve();
      ran.push('first');
    });
    afterRollback(tx, () => Promise.reject(new Error('record failed')));
    afterRollback(tx, () => {
      ran.push('third');
      return Promise.resolve();
    });

    await expect(runRollbackHooks(hooks)).resolves.toBeUndefined();
    expect(ran).toEqual(['first', 'third']);
  });

  it('refuses a transaction it does not track, and shares a savepoint’s hooks with its outer one', () => {
    expect(afterRollback({}, () => Promise.resolve())).toBe(false);
    const outer = {};
    const hooks = trackHooks(outer);
    const savepoint = {};
    trackHooks(savepoint, hooksOf(outer));
    const hook = () => Promise.resolve();
    afterRollback(savepoint, hook);
    expect(hooks.rolledBack).toEqual([hook]);
  });
});

describe('a transaction’s hooks', () => {
  it('runs only those of its outcome', async () => {
    const tx = {};
    const hooks = trackHooks(tx);
    const woken = jest.fn();
    const recorded = jest.fn(() => Promise.resolve());
    afterCommit(tx, woken);
    afterRollback(tx, recorded);

    runCommitHooks(hooks);
    expect(woken).toHaveBeenCalledTimes(1);
    expect(recorded).not.toHaveBeenCalled();
    await runRollbackHooks(hooks);
    expect(recorded).toHaveBeenCalledTimes(1);
    expect(woken).toHaveBeenCalledTimes(1);
  });
});
