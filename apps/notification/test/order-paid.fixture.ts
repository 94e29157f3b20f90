import { EVENTS_EXCHANGE } from '@app/contracts';
import { type AmqpTestClient, waitFor } from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';

/** Publishes an order.paid, which records one notification and sends its delivery job. */
export async function publishOrderPaid(client: AmqpTestClient): Promise<string> {
  const orderId = randomUUID();
  await client.publish(
    EVENTS_EXCHANGE,
    'order.paid',
    { orderId },
    { messageId: randomUUID(), type: 'order.paid', contentType: 'application/json' },
  );
  return orderId;
}

/** The order's one notification, as GET /notifications lists it, once it has left PENDING. */
export async function settledNotification(
  app: INestApplication,
  orderId: string,
): Promise<Record<string, unknown>> {
  const [notification] = await waitFor(
    async () => {
      const response = await request(app.getHttpServer()).get(`/notifications?orderId=${orderId}`);
      const listed = response.body as Record<string, unknown>[];
      return listed.length === 1 && listed[0].status !== 'PENDING' ? listed : undefined;
    },
    // FAILED commits with the dead-letter record, once the copy in the DLQ is confirmed.
    { description: 'the notification to leave PENDING' },
  );
  return notification;
}
