import type { NotificationRow } from '../db/notification.tables';
import { NotificationSender, SenderUnavailableError } from './notification-sender';
import { TimeLimitedNotificationSender } from './time-limited-notification.sender';

const notification = { id: 'n-1', orderId: 'o-1', kind: 'order-paid' } as NotificationRow;

/** An adapter whose sends the test settles, and the signals each was given. */
class ControlledSender extends NotificationSender {
  readonly signals: (AbortSignal | undefined)[] = [];
  settle: { resolve: () => void; reject: (error: Error) => void } | undefined;

  send(_notification: NotificationRow, signal?: AbortSignal): Promise<void> {
    this.signals.push(signal);
    return new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }
}

describe('TimeLimitedNotificationSender', () => {
  it('fails a send that does not answer in time as the sender unavailable, aborting it', async () => {
    const inner = new ControlledSender();
    const sending = new TimeLimitedNotificationSender(inner, 20).send(notification);
    await expect(sending).rejects.toThrow(
      new SenderUnavailableError('the notification sender did not answer in 20 ms'),
    );
    expect(inner.signals[0]?.aborted).toBe(true);
    expect(inner.signals[0]?.reason).toBeInstanceOf(SenderUnavailableError);
  });

  it('says the sender did not answer even when the adapter rejects on the abort', async () => {
    class AbortingSender extends NotificationSender {
      send(_notification: NotificationRow, signal?: AbortSignal): Promise<void> {
        return new Promise((_resolve, reject) =>
          signal?.addEventListener('abort', () => reject(new Error('The operation was aborted'))),
        );
      }
    }
    const sending = new TimeLimitedNotificationSender(new AbortingSender(), 20).send(notification);
    await expect(sending).rejects.toBeInstanceOf(SenderUnavailableError);
  });

  it("passes on the adapter's answer, and its failure, when it comes in time", async () => {
    const inner = new ControlledSender();
    const sender = new TimeLimitedNotificationSender(inner, 60_000);

    const delivered = sender.send(notification);
    inner.settle?.resolve();
    await expect(delivered).resolves.toBeUndefined();

    const refused = sender.send(notification);
    inner.settle?.reject(new Error('no such mailbox'));
    await expect(refused).rejects.toThrow('no such mailbox');
    expect(inner.signals.every((signal) => signal?.aborted === false)).toBe(true);
  });
});
