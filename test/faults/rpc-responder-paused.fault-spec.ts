import { anOrder, Stack } from '../support/stack';

describe('GET /orders/:id when payment does not answer in time', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start('deadline', { env: { RPC_TIMEOUT_MS: '500' } });
  });

  afterAll(async () => {
    for (const payment of stack?.payments ?? []) payment.signal('SIGCONT');
    await stack?.stop();
  });

  it('still returns the order, with payment UNKNOWN, and the real status once payment is back', async () => {
    const posted = await stack.placeOrder(anOrder());
    await stack.settledOrder(posted.body.id);

    const [payment] = stack.payments;
    payment.signal('SIGSTOP');
    const frozen = await stack.orderApi().get(`/orders/${posted.body.id}`);
    expect(frozen.status).toBe(200);
    expect(frozen.body).toMatchObject({
      id: posted.body.id,
      status: 'PAID',
      payment: { status: 'UNKNOWN' },
    });

    payment.signal('SIGCONT');
    const answered = await stack.orderApi().get(`/orders/${posted.body.id}`);
    expect(answered.body.payment).toMatchObject({ status: 'SUCCEEDED' });
  });
});
