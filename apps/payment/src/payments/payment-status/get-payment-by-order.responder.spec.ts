import { GetPaymentByOrder, RPC_EXCHANGE } from '@app/contracts';
import { ANSWER_RPC, type AnswerRpcMetadata } from '@app/messaging';
import { Reflector } from '@nestjs/core';
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
    const metadata = new Reflector().get<AnswerRpcMetadata>(
      ANSWER_RPC,
      GetPaymentByOrderResponder.prototype.answer,
    );

    expect(metadata.queue).toBe(paymentTopology.queues.paymentByOrder);
    expect(metadata.contract).toBe(GetPaymentByOrder);
    expect(metadata.queue.binding).toEqual({
      exchange: RPC_EXCHANGE,
      routingKey: 'payment.get-by-order',
    });
  });
});
