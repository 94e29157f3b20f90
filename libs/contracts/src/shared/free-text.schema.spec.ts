import { freeText } from './free-text.schema';

describe('freeText', () => {
  const customerId = freeText(1, 64);

  it('accepts text in any script, emoji included', () => {
    for (const value of ['c-42', 'Zoë', '客户', 'a😀b']) {
      expect(customerId.safeParse(value).success).toBe(true);
    }
  });

  it.each([
    ['a NUL character', 'c\u0000x'],
    ['an unpaired high surrogate', 'c\ud800'],
    ['an unpaired low surrogate', '\udc00c'],
  ])('refuses %s, saying why', (_, value) => {
    const result = customerId.safeParse(value);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        message: 'must not contain NUL characters or unpaired surrogates',
      }),
    ]);
  });

  it('keeps its length bounds', () => {
    expect(customerId.safeParse('').success).toBe(false);
    expect(customerId.safeParse('x'.repeat(65)).success).toBe(false);
  });
});
