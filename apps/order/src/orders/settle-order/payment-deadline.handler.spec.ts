import { PaymentDeadline } from '@app/contracts';
import { messageRoutesOf } from '@app/messaging';
import { orderTopology } from '../../order.topology';
import { PaymentDeadlineHandler } from './payment-deadline.handler';
import type { SettleOrderService } from './settle-order.service';

const ORDER_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('PaymentDeadlineHandler', () => {
  it('hands the due deadline to the order process', async () => {
    const settleOrder = { paymentDeadline: jest.fn().mockResolvedValue(undefined) };
    const handler = new PaymentDeadlineHandler(settleOrder as unknown as SettleOrderService);
    await handler.onPaymentDeadline({ orderId: ORDER_ID });
    expect(settleOrder.paymentDeadline).toHaveBeenCalledWith(ORDER_ID);
  });

  it('consumes order.payment-deadline jobs from order.payment-deadlines', () => {
    const [route, ...others] = messageRoutesOf(PaymentDeadlineHandler);
    expect(others).toEqual([]);
    expect(route.pattern).toBe(PaymentDeadline);
    expect(route.queue).toBe(orderTopology.queues.paymentDeadlines);
    expect(orderTopology.queues.paymentDeadlines.name).toBe('order.payment-deadlines');
  });
});
