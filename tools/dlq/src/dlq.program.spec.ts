import type { Session } from './dlq.commands';
import { parseLimit } from './dlq.commands';
import { runDlq } from './dlq.program';

/** Runs the CLI in-process with a session that records instead of connecting. */
async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let sessions = 0;
  const session: Session = () => {
    sessions += 1;
    return Promise.resolve();
  };
  const code = await runDlq(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, session);
  return { code, out: out.join(''), err: err.join(''), sessions };
}

describe('dlq arguments', () => {
  it.each([
    ['replay', 'payment.order-created'],
    ['purge', 'payment.order-created.dlq'],
  ])('refuses a bare %s before touching the broker', async (command, queue) => {
    const result = await run(command, queue);
    expect(result).toMatchObject({ code: 1, sessions: 0 });
    expect(result.err).toBe(
      `error: ${command} needs --id <messageId>… or --all to say which messages; nothing was done\n`,
    );
  });

  it('refuses --id together with --all', async () => {
    const result = await run('purge', 'q', '--id', 'a', '--all');
    expect(result).toMatchObject({ code: 1, sessions: 0 });
    expect(result.err).toMatch(/^error: option '--all' cannot be used with option '--id/);
  });

  it('refuses a missing queue, an unknown command and a bad --limit, on one line each', async () => {
    for (const argv of [['show', '--all'], ['frob'], ['list', 'q', '--limit', '0']]) {
      const result = await run(...argv);
      expect(result).toMatchObject({ code: 1, sessions: 0 });
      expect(result.err.trim().split('\n')).toHaveLength(1);
      expect(result.err).toMatch(/^error: /);
    }
  });

  it('accepts valid invocations and opens one broker session for each', async () => {
    for (const argv of [
      ['list'],
      ['unacked'],
      ['list', 'q', '--limit', '5'],
      ['show', 'q', '--id', 'a'],
      ['replay', 'q', '--id', 'a', 'b'],
      ['replay', 'q', '--id', 'a', '--id', 'b'],
      ['purge', 'q.dlq', '--all'],
    ]) {
      expect(await run(...argv)).toMatchObject({ code: 0, sessions: 1, err: '' });
    }
  });

  it('explains usage with examples, exit code 0', async () => {
    const program = await run('--help');
    expect(program).toMatchObject({ code: 0, sessions: 0 });
    expect(program.out).toContain('Usage: dlq <command> [options]');
    expect(program.out).toContain('$ npm run dlq -- replay payment.order-created --all');
    for (const command of ['list', 'unacked', 'show', 'replay', 'purge']) {
      const help = await run(command, '--help');
      expect(help.code).toBe(0);
      expect(help.out).toContain(`Usage: dlq ${command}`);
      expect(help.out).toContain(`$ npm run dlq -- ${command}`);
    }
  });

  it('reports a failing command as one error line with exit code 1', async () => {
    const failing: Session = () => Promise.reject(new Error('first\n  second'));
    const err: string[] = [];
    const code = await runDlq(['list'], { out: () => undefined, err: (t) => err.push(t) }, failing);
    expect(code).toBe(1);
    expect(err).toEqual(['error: first second\n']);
  });
});

describe('parseLimit', () => {
  it('accepts whole numbers from 1', () => {
    expect(parseLimit('1')).toBe(1);
    expect(parseLimit('250')).toBe(250);
  });

  it.each(['0', '-1', '1.5', 'ten', ''])('refuses %j', (value) => {
    expect(() => parseLimit(value)).toThrow('must be a whole number of 1 or more');
  });
});
