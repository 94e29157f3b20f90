import { CompleteConfirmation } from '@app/contracts';
import { messageRoutesOf } from '@app/messaging';
import { notificationTopology } from '../../notification.topology';
import { CompleteConfirmationHandler } from './complete-confirmation.handler';
import { ConfirmationNotFoundError } from './confirmation-not-found.error';
import type { OrderConfirmationService } from './order-confirmation.service';

const job: CompleteConfirmation = { orderId: '0d6f1c2a-7b3e-4f5a-9c8d-1e2f3a4b5c6d' };

function handlerWith(complete: jest.Mock): CompleteConfirmationHandler {
  const confirmation = { complete } as unknown as OrderConfirmationService;
  return new CompleteConfirmationHandler(confirmation);
}

describe('CompleteConfirmationHandler', () => {
  it("completes the job's order confirmation", async () => {
    const complete = jest.fn().mockResolvedValue(undefined);

    await handlerWith(complete).handle(job);

    expect(complete).toHaveBeenCalledWith(job.orderId);
  });

  it("lets the service's error through, for the queue's failure policy to settle", async () => {
    const missing = new ConfirmationNotFoundError(job.orderId);

    await expect(handlerWith(jest.fn().mockRejectedValue(missing)).handle(job)).rejects.toBe(
      missing,
    );
  });

  it('consumes the chord callback from the notification.deliver work queue', () => {
    const [route] = messageRoutesOf(CompleteConfirmationHandler);

    expect(route.kind).toBe('event');
    expect(route.queue).toBe(notificationTopology.queues.deliveries);
    expect(route.pattern).toBe(CompleteConfirmation);
    expect(route.queue?.name).toBe('notification.deliver');
  });
});
