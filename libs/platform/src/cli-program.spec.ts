import { Command } from 'commander';
import type * as CliProgram from './cli-program';
import { runProgram } from './cli-program';

function program(action: () => void): Command {
  return new Command('tool')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
    .action(action);
}

describe('runProgram', () => {
  it('returns 0 when the command succeeds', async () => {
    const errors: string[] = [];
    await expect(
      runProgram(
        program(() => undefined),
        [],
        (text) => errors.push(text),
      ),
    ).resolves.toBe(0);
    expect(errors).toEqual([]);
  });

  it("returns commander's exit code after its own message, and prints nothing more", async () => {
    const errors: string[] = [];
    const code = await runProgram(
      program(() => undefined),
      ['--bogus'],
      (text) => errors.push(text),
    );
    expect(code).toBe(1);
    expect(errors).toEqual([]);
    await expect(
      runProgram(
        program(() => undefined),
        ['--help'],
        () => undefined,
      ),
    ).resolves.toBe(0);
  });

  it('prints one error line and returns 1 when the command fails', async () => {
    const errors: string[] = [];
    const failing = program(() => {
      throw new Error('queue not found\n  at somewhere');
    });
    await expect(runProgram(failing, [], (text) => errors.push(text))).resolves.toBe(1);
    expect(errors).toEqual(['error: queue not found at somewhere\n']);
  });

  // Every service loads @app/platform; commander is only for the command-line tools.
  it('does not load commander until a program has to be run', () => {
    let loaded = false;
    jest.isolateModules(() => {
      jest.doMock('commander', () => {
        loaded = true;
        return jest.requireActual<object>('commander');
      });
      jest.requireActual<typeof CliProgram>('./cli-program');
    });
    jest.dontMock('commander');
    expect(loaded).toBe(false);
  });
});
