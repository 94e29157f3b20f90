import { DeliverNotification } from '@app/contracts';
import { type DeadLetteredMessage, DeadLetterListener } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { DeliverNotificationService } from './deliver-notification.service';

/**
 * A delivery job the queue gave up on fails its notification, for any reason the consumer
 * dead-letters it: its attempts used up, a send that can never succeed, a guard's refusal. Told
 * in the transaction that records the dead-letter copy (see DeadLetterListener), so the FAILED
 * mark and the copy stand or fall together. A job whose payload names no notification (why it
 * was dead-lettered, then) has none to fail.
 */
@Injectable()
export class DeliveryDeadLetters extends DeadLetterListener {
  constructor(private readonly deliverNotification: DeliverNotificationService) {
    super();
  }

  async deadLettered(message: DeadLetteredMessage): Promise<void> {
    if (message.type !== DeliverNotification.type) return;
    const job = DeliverNotification.schema.safeParse(message.payload);
    if (job.success) await this.deliverNotification.failed(job.data.notificationId, message.reason);
  }
}
