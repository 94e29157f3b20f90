import type { Command } from 'commander';
import { oneErrorLine } from './error-message';
import { printable } from '@app/correlation';

/**
 * Runs a commander program (built with exitOverride) and returns the exit code: 0 on success,
 * commander's own after its usage message or help, 1 with one error line on stderr otherwise.
 * commander is required here rather than imported: every service loads this library, and only
 * the command-line tools need commander, which have loaded it already to build `program`.
 */
export async function runProgram(
  program: Command,
  argv: string[],
  err: (text: string) => void,
): Promise<number> {
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    type CommanderModule = typeof import('commander');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
    const { CommanderError } = require('commander') as CommanderModule;
    // Commander has printed its own message (or the help) already.
    if (error instanceof CommanderError) return error.exitCode;
    // An error may quote what a publisher wrote (a queue's message, a header).
    err(`error: ${printable(oneErrorLine(error))}\n`);
    return 1;
  }
}
