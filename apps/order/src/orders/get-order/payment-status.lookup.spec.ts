import { GetPaymentByOrder } from '@app/contracts';
import { type AmqpClient, RpcDeadlineExceededError, RpcReplyError } from '@app/messaging';
import { Logger } from '@nestjs/common';
import { of, throwError } from 'rxjs';
import { PaymentStatusLookup } from './payment-status.lookup';

const ORDER_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const PAYMENT_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('PaymentStatusLookup', () => {
  let client: { send: jest.Mock };
  let lookup: PaymentStatusLookup;

  beforeEach(() => {
    client = { send: jest.fn() };
    lookup = new PaymentStatusLookup(client as unknown as AmqpClient);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('asks payment over RPC, through the ClientProxy, for the order and returns its answer', async () => {
    const reply = { status: 'FAILED', paymentId: PAYMENT_ID, reason: 'amount_limit_exceeded' };
    client.send.mockReturnValue(of(reply));

    await expect(lookup.forOrder(ORDER_ID)).resolves.toEqual(reply);
    expect(client.send).toHaveBeenCalledWith(GetPaymentByOrder, { orderId: ORDER_ID });
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
    client.send.mockReturnValue(throwError(() => failure));

    await expect(lookup.forOrder(ORDER_ID)).resolves.toEqual({ status: 'UNKNOWN' });
  });

  it('logs why the payment status is unknown', async () => {
    client.send.mockReturnValue(
      throwError(() => new RpcDeadlineExceededError(GetPaymentByOrder.routingKey, 2000)),
    );

    await lookup.forOrder(ORDER_ID);

    expect(Logger.prototype.warn).toHaveBeenCalledWith(
      expect.stringContaining(`No reply to "payment.get-by-order" within 2000 ms`),
    );
  });
});
