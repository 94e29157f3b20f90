import { ConfigValidationError, errorMessage } from '@app/platform';

/** A failure the user can act on: printed as one line on stderr, exit code 1, no stack trace. */
export class DlqError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DlqError';
  }
}

/** One line for stderr, whatever was thrown: config problems are joined, stacks never shown. */
export function oneLine(error: unknown): string {
  if (error instanceof ConfigValidationError) {
    return `invalid configuration: ${error.problems.join('; ')}`;
  }
  const text = errorMessage(error);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
