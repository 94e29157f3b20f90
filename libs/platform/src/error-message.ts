/** The message of whatever was thrown, for a log line or an error reason: never its stack. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The message on one line, for stderr or a log collector: line breaks folded, stack never shown. */
export function oneErrorLine(error: unknown): string {
  return errorMessage(error)
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}
