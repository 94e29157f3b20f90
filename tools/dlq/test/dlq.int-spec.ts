import { DlqBrowser } from '../src/broker/dlq.browser';
import { listMessages } from '../src/commands/list.command';
import { replayMessages } from '../src/commands/replay.command';
import { DlqError } from '../src/dlq.errors';
import { DLQ, QUEUE } from './dead-letter.fixture';
import { context, deadLetter, isolation, printed, useDlqCommands } from './dlq.fixture';

describe('dlq commands against a real broker: unknown queues and unreachable nodes', () => {
  useDlqCommands('dlq-cli');

  it('names a queue that does not exist, and keeps working after the refused lookup', async () => {
    await expect(listMessages(context(), 'no-such-queue')).rejects.toThrow(
      /^queue no-such-queue\.dlq \(the dead-letter queue of no-such-queue\) does not exist on amqp:/,
    );
    await expect(
      replayMessages(context(), 'no-such-queue.dlq', { all: true }),
    ).rejects.toBeInstanceOf(DlqError);
    await deadLetter();
    await listMessages(context(), QUEUE);
    expect(printed[0]).toBe(`${DLQ}: 1 message(s)`);
  });

  describe('with the nodes of a cluster in RABBITMQ_URL', () => {
    /** The same account on a port where no broker listens: a node that is down. */
    const downNode = () => {
      const url = new URL(isolation.env.RABBITMQ_URL);
      url.port = '1';
      return url.toString();
    };

    it('connects to the first node that answers', async () => {
      const nodes = `${downNode()},${isolation.env.RABBITMQ_URL}`;
      const clusterBrowser = await DlqBrowser.connect(nodes);
      try {
        await deadLetter();
        await listMessages({ ...context(), browser: clusterBrowser }, QUEUE);
        expect(printed[0]).toBe(`${DLQ}: 1 message(s)`);
      } finally {
        await clusterBrowser.close();
      }
    });

    it('names every node it tried, without the password, when none answers', async () => {
      const attempt = DlqBrowser.connect(`${downNode()},${downNode().replace(':1/', ':2/')}`);
      await expect(attempt).rejects.toThrow(
        /^cannot connect to RabbitMQ at amqp:\/\/[^:@]+@[^:/@]+:1\/.*; at amqp:\/\/[^:@]+@[^:/@]+:2\//,
      );
      await expect(attempt).rejects.toBeInstanceOf(DlqError);
    });
  });
});
