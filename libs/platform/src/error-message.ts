/** The message of whatever was thrown, for a log line or an error reason: never its stack. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
