import { printableLines } from '@app/correlation';

/** Where commands print what they did: stdout in the CLI, a collector in tests. */
export interface Output {
  line(text?: string): void;
}

/**
 * Output for the operator's terminal: what the messages hold (headers, types, bodies, error texts)
 * is printed with its control characters escaped, so no publisher can drive the terminal.
 */
export function terminalOutput(write: (text: string) => void): Output {
  return { line: printableLines(write) };
}
