import { type Command, CommanderError } from 'commander';
import { ConfigValidationError } from './config/validate-config';
import { errorMessage } from './error-message';

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
    // Commander has printed its own message (or the help) already.
    if (error instanceof CommanderError) return error.exitCode;
    err(`error: ${oneErrorLine(error)}\n`);
    return 1;
  }
}
