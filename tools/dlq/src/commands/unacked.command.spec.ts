import type { ManagementReader } from '@app/messaging';
import { NO_CONSUMER, unackedRows } from './unacked.command';

/** The management API's answers, by the first part of the path asked for. */
function reader(answers: Record<string, unknown[]>): ManagementReader {
  const get = (...path: string[]) => {
    const key = path[0] === 'vhosts' ? path[2] : path[0];
    return Promise.resolve(answers[key] ?? []);
  };
  return { get } as unknown as ManagementReader;
}

const consumer = {
  queue: { name: 'payment.order-created' },
  consumer_tag: 'amq.ctag-1',
  prefetch_count: 10,
  channel_details: { name: 'conn-1 (1)', connection_name: 'conn-1' },
};

describe('unackedRows', () => {
  it('names the consumer holding the messages of a queue, its service and the count of its channel', async () => {
    const rows = await unackedRows(
      reader({
        queues: [{ name: 'payment.order-created', messages_unacknowledged: 3 }],
        consumers: [consumer],
        channels: [{ name: 'conn-1 (1)', messages_unacknowledged: 4 }],
        connections: [{ name: 'conn-1', client_properties: { connection_name: 'payment' } }],
      }),
      '/',
    );
    expect(rows).toEqual([
      {
        queue: 'payment.order-created',
        queueUnacked: 3,
        consumer: 'amq.ctag-1',
        client: 'payment',
        channelUnacked: 4,
        prefetch: 10,
      },
    ]);
  });

  it('still lists messages held on a channel without a consumer of the queue', async () => {
    const rows = await unackedRows(
      reader({ queues: [{ name: 'payment.order-created.dlq', messages_unacknowledged: 2 }] }),
      '/',
    );
    expect(rows).toEqual([
      {
        queue: 'payment.order-created.dlq',
        queueUnacked: 2,
        consumer: NO_CONSUMER,
        client: '-',
      },
    ]);
  });
});
