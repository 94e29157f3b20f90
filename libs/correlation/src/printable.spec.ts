import { printable, printableLines } from './printable';

describe('printable', () => {
  it('shows terminal controls as their escapes, and leaves text, tabs and newlines be', () => {
    expect(printable('\u001b]52;c;cm0gLXJmIH4=\u0007 ok')).toBe(
      '\\u001b]52;c;cm0gLXJmIH4=\\u0007 ok',
    );
    expect(printable('\u009b2J\u007f')).toBe('\\u009b2J\\u007f');
    expect(printable('paid\u202e!dettimer')).toBe('paid\\u202e!dettimer');
    expect(printable('Zahlung für Bestellung 7\tok\nnext — 注文')).toBe(
      'Zahlung für Bestellung 7\tok\nnext — 注文',
    );
  });

  it('writes each line printable, with its newline', () => {
    const written: string[] = [];
    const line = printableLines((text) => written.push(text));
    line('type \u001b[31morder.paid');
    line();
    expect(written).toEqual(['type \\u001b[31morder.paid\n', '\n']);
  });
});
