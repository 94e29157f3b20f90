import { GetPaymentByOrder, RPC_EXCHANGE } from '@app/contracts';
import { messageRoutesOf } from '@app/messaging';
import { paymentTopology } from '../../payment.topology';
import { GetPaymentByOrderResponder } from './get-payment-by-order.responder';
import type { PaymentStatusService } from './payment-status.service';

const ORDER_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('GetPaymentByOrderResponder', () => {
  it('answers with the payment status of the requested order', async () => {
    const paymentStatus: jest.Mocked<Pick<PaymentStatusService, 'forOrder'>> = {
      forOrder: jest.fn().mockResolvedValue({ status: 'PENDING' }),
    };
    const responder = new GetPaymentByOrderResponder(
      paymentStatus as unknown as PaymentStatusService,
    );

    await expect(responder.answer({ orderId: ORDER_ID })).resolves.toEqual({ status: 'PENDING' });
    expect(paymentStatus.forOrder).toHaveBeenCalledWith(ORDER_ID);
  });

  it('answers payment.get-by-order on the rpc exchange', () => {
    const [route] = messageRoutesOf(GetPaymentByOrderResponder);

    expect(route.kind).toBe('rpc');
    expect(route.queue).toBe(paymentTopology.queues.paymentByOrder);
    expect(route.pattern).toBe(GetPaymentByOrder);
    expect(paymentTopology.queues.paymentByOrder.binding).toEqual({
      exchange: RPC_EXCHANGE,
      routingKey: 'payment.get-by-order',
    });
  });
});
