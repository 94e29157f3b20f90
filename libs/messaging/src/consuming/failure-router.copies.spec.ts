import { consumed, setup } from './failure-router.fixture';

describe('FailureRouter: what a copy carries', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2025-03-04T05:06:07.000Z') }));
  afterEach(() => jest.useRealTimers());

  it('does not copy userId or expiration, so the copy is accepted and never expires', async () => {
    const { router, publishRaw } = setup();
    await router.deadLetter(consumed(), 'unknown type');
    await router.retryLater(consumed(), new Error('db down'));
    expect(publishRaw).toHaveBeenCalledTimes(2);
    for (const [, , , properties] of publishRaw.mock.calls) {
      expect(properties).not.toHaveProperty('userId');
      expect(properties).not.toHaveProperty('expiration');
    }
  });

  it('writes the routing key as type when the sender set no type property', async () => {
    const { router, published } = setup();
    await router.retryLater(consumed({ type: undefined }, 'order.paid'), new Error('x'));
    expect(published().properties.type).toBe('order.paid');
  });

  it('shortens a very long reason', async () => {
    const { router, published } = setup();
    await router.retryLater(consumed(), new Error('e'.repeat(5000)));
    const lastError = published().headers?.['x-last-error'] as string;
    expect(lastError).toHaveLength(500);
    expect(lastError.endsWith('…')).toBe(true);
  });

  it('keeps the attempt count in x-error when the last error is very long', async () => {
    const { router, published } = setup([1000]);
    await router.retryLater(consumed({ headers: { 'x-attempt': 2 } }), new Error('e'.repeat(600)));
    expect(String(published().headers?.['x-error'])).toMatch(/… \(gave up after 2 attempts\)$/);
    expect(String(published().headers?.['x-error']).length).toBeLessThanOrEqual(500);
  });

  it('records a thrown non-Error as text', async () => {
    const { router, published } = setup();
    await router.retryLater(consumed(), 'socket hang up');
    expect(published().headers).toMatchObject({ 'x-last-error': 'socket hang up' });
  });
});
