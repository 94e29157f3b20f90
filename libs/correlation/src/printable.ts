/**
 * Control characters other than tab and newline, and the bidirectional overrides: what a terminal
 * would act on (ESC and CSI sequences move the cursor, rewrite lines, set the clipboard) or show
 * out of order, rather than print.
 */
// eslint-disable-next-line no-control-regex -- the control characters are what it finds
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` safe to write to an operator's terminal: the tools print what publishers wrote (headers,
 * types, bodies, error texts), and anyone who can publish could otherwise drive the terminal. Each
 * such character is shown as its escape, `\u001b`.
 */
export function printable(text: string): string {
  return text.replace(
    UNPRINTABLE,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * A line writer for an operator's terminal: each line goes to `write` printable, with its
 * newline. The tools print what publishers wrote; every line they print passes here.
 */
export function printableLines(write: (text: string) => void): (text?: string) => void {
  return (text = '') => write(`${printable(text)}\n`);
}
