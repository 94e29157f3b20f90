/** Where commands print what they did: stdout in the CLI, a collector in tests. */
export interface Output {
  line(text?: string): void;
}
