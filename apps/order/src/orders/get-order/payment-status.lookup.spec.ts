import { GetPaymentByOrder } from '@app/contracts';
import { RpcDeadlineExceededError, RpcReplyError, type RpcClient } from '@app/messaging';
import { Logger } from '@nestjs/common';
import { PaymentStatusLookup } from './payment-status.lookup';

const ORDER_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const PAYMENT_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('PaymentStatusLookup', () => {
  let rpc: jest.Mocked<Pick<RpcClient, 'call'>>;
  let lookup: PaymentStatusLookup;

  beforeEach(() => {
    rpc = { call: jest.fn() };
    lookup = new PaymentStatusLookup(rpc as unknown as RpcClient);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('asks payment over RPC for the order and returns its answer', async () => {
    const reply = { status: 'FAILED', paymentId: PAYMENT_ID, reason: 'amount_limit_exceeded' };
    rpc.call.mockResolvedValue(reply);

    await expect(lookup.forOrder(ORDER_ID)).resolves.toEqual(reply);
    expect(rpc.call).toHaveBeenCalledWith(GetPaymentByOrder, { orderId: ORDER_ID });
  });

  it.each([
    ['the deadline passes', new RpcDeadlineExceededError(GetPaymentByOrder.routingKey, 2000)],
    [
      'payment answers with an error reply',
      new RpcReplyError(GetPaymentByOrder.routingKey, 'INTERNAL', 'boom'),
    ],
    ['the broker connection fails', new Error('channel closed')],
    ['something that is not an Error is thrown', 'oops'],
  ])('answers UNKNOWN when %s', async (_case, failure) => {
    rpc.call.mockRejectedValue(failure);

    await expect(lookup.forOrder(ORDER_ID)).resolves.toEqual({ status: 'UNKNOWN' });
  });

  it('logs why the payment status is unknown', async () => {
    rpc.call.mockRejectedValue(new RpcDeadlineExceededError(GetPaymentByOrder.routingKey, 2000));

    await lookup.forOrder(ORDER_ID);

    expect(Logger.prototype.warn).toHaveBeenCalledWith(
      expect.stringContaining(`No reply to "payment.get-by-order" within 2000 ms`),
    );
  });
});
