import type { ManagementReader } from '@app/messaging';
import { DlqError } from '../dlq.errors';
import { type Column, formatTable } from '../format/table.format';
import type { CommandContext } from './command.context';

interface QueueInfo {
  name: string;
  messages_unacknowledged?: number;
}
interface ConsumerInfo {
  queue: { name: string };
  consumer_tag: string;
  prefetch_count: number;
  channel_details: { name: string; connection_name: string };
}
interface ChannelInfo {
  name: string;
  messages_unacknowledged?: number;
}
interface ConnectionInfo {
  name: string;
  client_properties?: { connection_name?: string };
}

/** Who holds messages of one queue: a consumer, the service its connection names, its channel's count. */
export interface UnackedRow {
  queue: string;
  queueUnacked: number;
  consumer: string;
  client: string;
  /** Unknown when no consumer holds them (see NO_CONSUMER). */
  channelUnacked?: number;
  prefetch?: number;
}

/**
 * Messages held on a channel with no consumer of the queue: taken with basic.get (a `dlq show`
 * or `replay` under way), or by a consumer cancelled while its handler still runs.
 */
export const NO_CONSUMER = '(no consumer: basic.get, or cancelled)';

const COLUMNS: Column[] = [
  { header: 'QUEUE' },
  { header: 'UNACKED', align: 'right' },
  { header: 'CLIENT', maxWidth: 20 },
  { header: 'ON ITS CHANNEL', align: 'right' },
  { header: 'PREFETCH', align: 'right' },
  { header: 'CONSUMER TAG' },
];

/** Reads queues, consumers, channels and connections of `vhost`, and joins them. */
export async function unackedRows(reader: ManagementReader, vhost: string): Promise<UnackedRow[]> {
  const [queues, consumers, channels, connections] = await Promise.all([
    reader.get<QueueInfo[]>('queues', vhost),
    reader.get<ConsumerInfo[]>('consumers', vhost),
    reader.get<ChannelInfo[]>('vhosts', vhost, 'channels'),
    reader.get<ConnectionInfo[]>('vhosts', vhost, 'connections'),
  ]);
  const unackedOf = new Map(channels.map((c) => [c.name, c.messages_unacknowledged ?? 0]));
  const clientOf = new Map(
    connections.map((c) => [c.name, c.client_properties?.connection_name ?? c.name]),
  );
  return queues
    .filter((queue) => (queue.messages_unacknowledged ?? 0) > 0)
    .flatMap((queue): UnackedRow[] => {
      const held = { queue: queue.name, queueUnacked: queue.messages_unacknowledged ?? 0 };
      const holders = consumers.filter((consumer) => consumer.queue.name === queue.name);
      if (holders.length === 0) return [{ ...held, consumer: NO_CONSUMER, client: '-' }];
      return holders.map((consumer) => ({
        ...held,
        consumer: consumer.consumer_tag,
        client: clientOf.get(consumer.channel_details.connection_name) ?? '-',
        channelUnacked: unackedOf.get(consumer.channel_details.name) ?? 0,
        prefetch: consumer.prefetch_count,
      }));
    });
}

/**
 * Every queue with messages delivered and not yet acknowledged, and the consumers holding them:
 * a handler stuck on a message shows here as a count that never goes down. The broker takes
 * them back when the consumer's channel closes, or when it passes consumer_timeout.
 */
export async function listUnacked(context: CommandContext): Promise<void> {
  const { management } = context;
  if (!management) throw new DlqError('unacked needs the management API (RABBITMQ_MANAGEMENT_URL)');
  const rows = await unackedRows(management.reader, management.vhost);
  if (rows.length === 0) {
    context.out.line(`No unacknowledged messages in virtual host "${management.vhost}".`);
    return;
  }
  const cells = rows.map((row) => [
    row.queue,
    String(row.queueUnacked),
    row.client,
    String(row.channelUnacked ?? '-'),
    String(row.prefetch ?? '-'),
    row.consumer,
  ]);
  formatTable(COLUMNS, cells, { width: context.width }).forEach((line) => context.out.line(line));
  context.out.line(
    `(the management API's counts, refreshed every few seconds; ON ITS CHANNEL counts every queue the consumer's channel reads)`,
  );
}
