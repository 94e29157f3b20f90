import { oneErrorLine } from '@app/platform';

/** A failure the user can act on: printed as one line on stderr, exit code 1, no stack trace. */
export class DlqError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DlqError';
  }
}

/** One line for stderr, whatever was thrown: config problems are joined, stacks never shown. */
export const oneLine = oneErrorLine;
