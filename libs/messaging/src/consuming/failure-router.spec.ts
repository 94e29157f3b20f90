import { MAX_DEFERRALS } from './failure-router';
import { BODY, QUEUE, consumed, setup } from './failure-router.fixture';

describe('FailureRouter', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2025-03-04T05:06:07.000Z') }));
  afterEach(() => jest.useRealTimers());

  it('allows one attempt more than there are retry delays', () => {
    expect(setup([1000, 5000, 25000]).router.maxAttempts).toBe(4);
    expect(setup([]).router.maxAttempts).toBe(1);
  });

  it('schedules a failed first attempt on the first retry queue and acks the original', async () => {
    const { router, published } = setup();
    await expect(router.retryLater(consumed(), new Error('db down'))).resolves.toBe('ack');
    const copy = published();
    expect(copy.exchange).toBe('');
    expect(copy.routingKey).toBe(`${QUEUE}.retry.1000ms`);
    expect(copy.content).toBe(BODY);
    expect(copy.headers).toEqual({
      'x-correlation-id': 'corr-1',
      'x-tenant': 'acme',
      'x-attempt': 2,
      'x-last-error': 'db down',
    });
    expect(copy.properties).toMatchObject({ messageId: 'msg-1', type: 'order.created' });
  });

  it('waits longer on each further attempt', async () => {
    const { router, published } = setup();
    await router.retryLater(consumed({ headers: { 'x-attempt': 2 } }), new Error('timeout'));
    expect(published().routingKey).toBe(`${QUEUE}.retry.5000ms`);
    expect(published().headers).toMatchObject({ 'x-attempt': 3 });
  });

  it('spreads retries of the same attempt over the jittered delays', async () => {
    const queues = new Set<string>();
    for (const random of [0, 0.4, 0.99]) {
      const { router, published } = setup([1000, 5000], () => random);
      await router.retryLater(consumed(), new Error('timeout'));
      queues.add(published().routingKey);
    }
    expect([...queues]).toEqual(
      ['1000ms', '1250ms', '1500ms'].map((delay) => `${QUEUE}.retry.${delay}`),
    );
  });

  it.each([9, 999, -1, '3'])(
    'reads a forged x-attempt %p as the first attempt: the first retry delay, then the next',
    async (forged) => {
      const { router, published } = setup();
      await router.retryLater(consumed({ headers: { 'x-attempt': forged } }), new Error('down'));
      expect(published().routingKey).toBe(`${QUEUE}.retry.1000ms`);
      expect(published().headers).toMatchObject({ 'x-attempt': 2 });
    },
  );

  it('defers to the longest retry queue without using an attempt', async () => {
    const { router, published } = setup([1000, 5000]);
    const settlement = await router.deferLater(
      consumed({ headers: { 'x-attempt': 2 } }),
      new Error('circuit open'),
    );
    expect(settlement).toBe('ack');
    const { routingKey, headers } = published();
    expect(routingKey).toBe(`${QUEUE}.retry.5000ms`);
    expect(headers).toMatchObject({
      'x-attempt': 2,
      'x-deferrals': 1,
      'x-last-error': 'circuit open',
    });
  });

  it(`counts a failure as an attempt again after ${MAX_DEFERRALS} deferrals`, async () => {
    const { router, published } = setup([1000, 5000]);
    await router.deferLater(
      consumed({ headers: { 'x-attempt': 1, 'x-deferrals': MAX_DEFERRALS } }),
      new Error('circuit open'),
    );
    expect(published()).toMatchObject({
      routingKey: `${QUEUE}.retry.1000ms`,
      headers: { 'x-attempt': 2, 'x-deferrals': MAX_DEFERRALS },
    });
  });

  it('counts what became of each message for the metrics', async () => {
    const { router, metrics } = setup([1000]);
    await router.retryLater(consumed(), new Error('once'));
    await router.deferLater(consumed(), new Error('circuit open'));
    await router.deadLetter(consumed(), 'broken');
    expect(metrics.messageSettled.mock.calls).toEqual([
      [QUEUE, 'order.created', 'retry'],
      [QUEUE, 'order.created', 'deferred'],
      [QUEUE, 'order.created', 'dead_lettered'],
    ]);
  });
});
