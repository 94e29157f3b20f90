import type { ConfirmChannel } from 'amqplib';

type ConfirmCallback = Parameters<ConfirmChannel['publish']>[4];

/** amqplib's queue of confirm callbacks, one per publish, settled in order by the broker's acks. */
interface ConfirmQueue {
  unconfirmed?: unknown[];
}

const ALIGNED = Symbol('confirms aligned');

/**
 * amqplib's confirm channel registers a publish's confirm callback *before* it encodes the
 * frames; when encoding throws (a property above 255 bytes, a header table above its encoder's
 * buffer) nothing reaches the wire, yet the callback stays queued. The broker's next ack then
 * settles that failed publish instead of the one it was for, and every later confirm on the
 * channel belongs to the publish before it. Here a publish that throws takes its callback back
 * and fails alone, through its callback (as a broker nack would), so the channel stays aligned.
 * Encoding happens before any byte is written, so a throw means nothing was sent.
 */
export function keepConfirmsAligned(channel: ConfirmChannel): ConfirmChannel {
  const marked = channel as ConfirmChannel & { [ALIGNED]?: true };
  if (marked[ALIGNED]) return channel;
  const publish = channel.publish.bind(channel);
  channel.publish = (exchange, routingKey, content, options, callback?: ConfirmCallback) => {
    const queue = (channel as unknown as ConfirmQueue).unconfirmed;
    const queued = queue?.length ?? 0;
    try {
      return publish(exchange, routingKey, content, options, callback);
    } catch (error) {
      // Synchronous: nothing else can have queued a callback since ours.
      if (queue && queue.length === queued + 1) queue.pop();
      if (!callback) throw error;
      callback(error, {});
      return true;
    }
  };
  marked[ALIGNED] = true;
  return channel;
}
