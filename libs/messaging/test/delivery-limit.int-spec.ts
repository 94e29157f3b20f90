import {
  consumerQueue,
  deadLetterQueueName,
  declareConsumerQueue,
  declareExchanges,
  QUORUM_DELIVERY_LIMIT,
} from '@app/messaging';
import { AmqpTestClient, isolate, type Isolation, waitFor } from '@app/testing';
import { connect, type ChannelModel } from 'amqplib';
import { randomUUID } from 'node:crypto';

const QUEUE = consumerQueue({ name: 'crash-loop.events', prefetch: 1 });
const DLQ = deadLetterQueueName(QUEUE.name);

/**
 * A message whose handler kills its process never gets as far as a retry or a dead-letter copy:
 * each crash returns it to its queue. The quorum queue's delivery limit, declared with it, is
 * what ends the loop in its dead-letter queue (SQS's maxReceiveCount).
 */
describe('A message that crashes its consumer every time (real RabbitMQ)', () => {
  let isolation: Isolation;
  let connection: ChannelModel;
  let client: AmqpTestClient;

  beforeAll(async () => {
    isolation = await isolate('delivery-limit');
    connection = await connect(isolation.env.RABBITMQ_URL);
    const admin = await connection.createChannel();
    await declareExchanges(admin);
    await declareConsumerQueue(admin, QUEUE, [100]);
    client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
  });

  afterAll(async () => {
    await client?.close();
    await connection?.close();
    await isolation?.dispose();
  });

  /**
   * One delivery, ended as a crash ends it: the consumer's channel closes with it unacknowledged.
   * A return is applied by the queue on its own time: until the message is back, or in the
   * dead-letter queue, there is nothing to take.
   */
  const nextDelivery = () =>
    waitFor(
      async () => {
        const channel = await connection.createChannel();
        try {
          if (await channel.get(QUEUE.name, { noAck: false })) return 'delivered';
          return (await client.messageCount(DLQ)) > 0 ? 'dead-lettered' : undefined;
        } finally {
          await channel.close();
        }
      },
      { description: `the message back in ${QUEUE.name} or in ${DLQ}` },
    );

  it('goes to the dead-letter queue after the delivery limit, by the broker, with its reason', async () => {
    const messageId = randomUUID();
    await client.publish('', QUEUE.name, { value: 'poison' }, { messageId });

    let deliveries = 0;
    while ((await nextDelivery()) === 'delivered') {
      deliveries += 1;
      if (deliveries > QUORUM_DELIVERY_LIMIT + 1) throw new Error('the loop did not end');
    }

    // The first delivery and QUORUM_DELIVERY_LIMIT more: dead-lettered once the count exceeds it.
    expect(deliveries).toBe(QUORUM_DELIVERY_LIMIT + 1);
    const dead = await client.takeOne(DLQ);
    expect(dead.properties.messageId).toBe(messageId);
    const [death] = dead.properties.headers?.['x-death'] as { reason: string; queue: string }[];
    expect(death).toMatchObject({ reason: 'delivery_limit', queue: QUEUE.name });
  });
});
