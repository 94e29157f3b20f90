import { EVENTS_EXCHANGE } from '@app/contracts';
import {
  consumerQueue,
  consumerQueueOptions,
  declareConsumerQueue,
  declareExchanges,
} from '@app/messaging';
import { AmqpTestClient, waitFor } from '@app/testing';
import { connect, type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';

export const QUEUE = 'cli.events';
export const DLQ = `${QUEUE}.dlq`;

export const idsIn = (messages: GetMessage[]) =>
  messages.map((message) => message.properties.messageId as string | undefined);

/**
 * A consuming queue with its dead-letter queue in the test's virtual host, and messages put in
 * the dead-letter queue the two ways they get there: copied by the consumer, or by the broker.
 */
export class DeadLetterFixture {
  private constructor(
    private readonly connection: ChannelModel,
    private readonly admin: Channel,
    readonly client: AmqpTestClient,
  ) {}

  static async open(url: string): Promise<DeadLetterFixture> {
    const connection = await connect(url);
    const admin = await connection.createChannel();
    await declareExchanges(admin);
    return new DeadLetterFixture(connection, admin, await AmqpTestClient.connect(url));
  }

  /** Declares the queues as a service would (again, if a test deleted one) and empties them. */
  async reset(): Promise<void> {
    await this.declare(QUEUE);
    await this.admin.purgeQueue(DLQ);
    await this.admin.purgeQueue(QUEUE);
  }

  async declare(name: string): Promise<void> {
    await declareConsumerQueue(this.admin, consumerQueue({ name, prefetch: 1 }), [100]);
  }

  /**
   * The consuming queue declared bounded to one message and filled until the broker refuses a
   * publish (a quorum queue's limit is checked before each enqueue, so it may take one more).
   */
  async declareFull(name: string): Promise<void> {
    await this.admin.assertQueue(name, consumerQueueOptions(name, undefined, 1));
    for (let filler = 1; filler <= 5; filler += 1) {
      const refused = await this.client
        .publish('', name, { filler }, { messageId: randomUUID() })
        .then(() => false)
        .catch(() => true);
      if (refused) return;
    }
    throw new Error(`${name} took every filler: it is not bounded`);
  }

  async deleteQueue(name: string): Promise<void> {
    await this.admin.deleteQueue(name);
  }

  /** What the consumer's FailureRouter publishes to the dead-letter queue after 3 attempts. */
  async deadLetter(error = 'handler exploded', withId = true) {
    const messageId = withId ? randomUUID() : undefined;
    const orderId = randomUUID();
    await this.client.publish(
      '',
      DLQ,
      { orderId, total: 2800 },
      {
        messageId,
        type: 'order.created',
        timestamp: 1_700_000_000,
        contentType: 'application/json',
        appId: 'order',
        correlationId: 'amqp-correlation',
        headers: {
          'x-correlation-id': `corr-${orderId}`,
          'x-causation-id': `cause-${orderId}`,
          traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
          tracestate: 'starter=1',
          'x-custom': 'kept',
          'x-attempt': 3,
          'x-last-error': error,
          'x-error': `${error} (gave up after 3 attempts)`,
          'x-attempts': 3,
          'x-source-queue': QUEUE,
          'x-failed-at': new Date().toISOString(),
        },
      },
    );
    return { messageId, orderId };
  }

  /**
   * A copy the broker itself dead-lettered: rejected from the consuming queue, with x-death.
   * `untypedAs`: sent without a type on the events exchange under this key, as a foreign client may.
   */
  async brokerDeadLetter(untypedAs?: string): Promise<string> {
    const before = await this.client.messageCount(DLQ);
    const messageId = randomUUID();
    if (untypedAs === undefined) {
      await this.client.publish(
        '',
        QUEUE,
        { rejected: true },
        { messageId, type: 'order.created' },
      );
    } else {
      await this.admin.bindQueue(QUEUE, EVENTS_EXCHANGE, untypedAs);
      await this.client.publish(EVENTS_EXCHANGE, untypedAs, { rejected: true }, { messageId });
    }
    const message = await this.admin.get(QUEUE, { noAck: false });
    if (message === false) throw new Error(`nothing to reject in ${QUEUE}`);
    this.admin.nack(message, false, false);
    await waitFor(async () => (await this.client.messageCount(DLQ)) > before, {
      description: `the broker to dead-letter ${messageId} to ${DLQ}`,
    });
    return messageId;
  }

  async close(): Promise<void> {
    await this.client.close();
    await this.connection.close();
  }
}
