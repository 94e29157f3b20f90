import type { Command } from 'commander';
import { ConfigValidationError } from './config/validate-config';
import { errorMessage } from './error-message';
import { printable } from '@app/correlation';

/** One line for a command-line tool's stderr: config problems joined, stacks never shown. */
export function oneErrorLine(error: unknown): string {
  if (error instanceof ConfigValidationError) {
    return `invalid configuration: ${error.problems.join('; ')}`;
  }
  return errorMessage(error)
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

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
