import { printable } from './printable';

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
});
