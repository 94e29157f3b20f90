import { anchoredAlternatives, escapeRegex } from './permission-pattern';

describe('escapeRegex', () => {
  it('makes a name match itself only', () => {
    const pattern = new RegExp(`^${escapeRegex('a.b*c(d)|e+f?[g]^$\\h')}$`);
    expect(pattern.test('a.b*c(d)|e+f?[g]^$\\h')).toBe(true);
    expect(pattern.test('aXb*c(d)|e+f?[g]^$\\h')).toBe(false);
  });

  it('leaves dashes alone, which mean nothing outside a character class', () => {
    expect(escapeRegex('payment.order-created')).toBe('payment\\.order-created');
  });
});

describe('anchoredAlternatives', () => {
  it('matches exactly one of the alternatives, never a longer or shorter name', () => {
    const pattern = new RegExp(anchoredAlternatives(['events', 'rpc']));
    expect(['events', 'rpc'].every((name) => pattern.test(name))).toBe(true);
    for (const name of ['events2', 'xrpc', 'event', 'events|rpc', '', 'eventsrpc']) {
      expect(pattern.test(name)).toBe(false);
    }
  });

  it('grants nothing for no alternatives, and lists a repeated one once', () => {
    expect(anchoredAlternatives([])).toBe('^$');
    expect(anchoredAlternatives(['a', 'b', 'a'])).toBe('^(?:a|b)$');
  });
});
