import type { Channel, Options } from 'amqplib';
import { EVENT_LOG_QUEUE, EVENTS_EXCHANGE, RPC_EXCHANGE } from '@app/contracts';
import { assertQueueOrKeep, type QueueDeclaration } from './queue-declaration';
import { deadLetterQueueName, jitteredDelays, retryQueueName } from './queue-names';
import { type ConsumerQueue, queueBindings, type RpcQueue } from './topology';

/**
 * RabbitMQ 4 gives quorum queues a default delivery limit of 20 and drops messages past it
 * unless dead-lettering is configured; both are set explicitly so 3.x and 4.x behave alike.
 * The limit only catches crash loops: handler failures are retried by republishing, not requeueing.
 */
export const QUORUM_DELIVERY_LIMIT = 20;

const atLeastOnceDeadLettering = {
  'x-dead-letter-strategy': 'at-least-once',
  'x-overflow': 'reject-publish',
};

/** The exchanges every service shares, durable; named once for every place that declares them. */
export const SHARED_EXCHANGES = [
  { name: EVENTS_EXCHANGE, type: 'topic' },
  { name: RPC_EXCHANGE, type: 'direct' },
] as const;

export async function declareExchanges(channel: Channel): Promise<void> {
  for (const { name, type } of SHARED_EXCHANGES) {
    await channel.assertExchange(name, type, { durable: true });
  }
}

/**
 * The event log is a stream: appended to, never consumed away, read from any offset or time.
 * `x-max-age` drops whole segments once every event in them is older; a new stream's replicas
 * follow QUORUM_INITIAL_GROUP_SIZE like the quorum queues'.
 */
export function eventLogOptions(maxAge: string, initialClusterSize?: number): Options.AssertQueue {
  return {
    durable: true,
    arguments: {
      'x-queue-type': 'stream',
      'x-max-age': maxAge,
      ...(initialClusterSize === undefined ? {} : { 'x-initial-cluster-size': initialClusterSize }),
    },
  };
}

/**
 * Declares `events.log` bound to every event type. Every publishing service does so at start,
 * idempotently, so the log exists before the first event of a fresh system; a log created with
 * another EVENT_LOG_MAX_AGE is kept as it is, with a warning (see assertQueueOrKeep).
 */
export async function declareEventLog(
  channel: Channel,
  maxAge: string,
  declaration: QueueDeclaration = {},
): Promise<void> {
  const options = eventLogOptions(maxAge, declaration.quorumInitialGroupSize);
  await assertQueueOrKeep(channel, EVENT_LOG_QUEUE, options, declaration);
  await channel.bindQueue(EVENT_LOG_QUEUE, EVENTS_EXCHANGE, '#');
}

/**
 * The dead-letter queue is a classic queue: the DLQ tool browses it by get-and-requeue, which
 * must not count toward a quorum delivery limit, and it is expected to stay small.
 */
function deadLetterQueueOptions(): Options.AssertQueue {
  return { durable: true, arguments: { 'x-queue-type': 'classic' } };
}

/**
 * A full queue refuses new messages instead of dropping its oldest (the default overflow): the
 * producer gets a basic.nack, and its outbox keeps the message and tries again later. A quorum
 * queue takes one message past the limit before it refuses.
 */
function bounded(maxLength: number | undefined): Record<string, number | string> {
  return maxLength === undefined
    ? {}
    : { 'x-max-length': maxLength, 'x-overflow': 'reject-publish' };
}

/** Left out when unset, so the broker's default applies and existing queues still match. */
function groupSize(size: number | undefined): Record<string, number> {
  return size === undefined ? {} : { 'x-quorum-initial-group-size': size };
}

function retryQueueOptions(
  queue: string,
  delayMs: number,
  initialGroupSize?: number,
): Options.AssertQueue {
  return {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      ...groupSize(initialGroupSize),
      'x-message-ttl': delayMs,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': queue,
      ...atLeastOnceDeadLettering,
    },
  };
}

export function consumerQueueOptions(
  queue: string,
  initialGroupSize?: number,
  maxLength?: number,
): Options.AssertQueue {
  return {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      ...groupSize(initialGroupSize),
      'x-delivery-limit': QUORUM_DELIVERY_LIMIT,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': deadLetterQueueName(queue),
      ...atLeastOnceDeadLettering,
      ...bounded(maxLength),
    },
  };
}

/**
 * Declares a consumer queue with its dead-letter and retry queues (each delay with its jittered
 * variants), bound for `types`. Only the
 * queue itself is bounded: its retry queues hold messages already taken from it (a refused
 * retry copy would be requeued and count toward the delivery limit), and they move them back
 * with at-least-once dead-lettering, which waits while the queue is full; a dead-letter queue
 * must take every message it is given.
 */
export async function declareConsumerQueue(
  channel: Channel,
  queue: ConsumerQueue,
  retryDelaysMs: readonly number[],
  declaration: QueueDeclaration = {},
  types: readonly string[] = [],
): Promise<void> {
  const size = declaration.quorumInitialGroupSize;
  const dlq = deadLetterQueueName(queue.name);
  await assertQueueOrKeep(channel, dlq, deadLetterQueueOptions(), declaration, true);
  // Independent of each other, each on a channel of its own when a spare one is given: declared
  // together, so three jittered queues per delay cost one round trip, not three.
  await Promise.all(
    [...new Set(retryDelaysMs.flatMap(jitteredDelays))].map((delayMs) =>
      assertQueueOrKeep(
        channel,
        retryQueueName(queue.name, delayMs),
        retryQueueOptions(queue.name, delayMs, size),
        declaration,
      ),
    ),
  );
  await assertQueueOrKeep(
    channel,
    queue.name,
    consumerQueueOptions(queue.name, size, declaration.maxLength),
    declaration,
  );
  for (const binding of queueBindings(queue, types)) {
    await channel.bindQueue(queue.name, binding.exchange, binding.routingKey);
  }
}

export function rpcQueueOptions(maxLength?: number): Options.AssertQueue {
  return { durable: true, arguments: { 'x-queue-type': 'classic', ...bounded(maxLength) } };
}

/**
 * RPC requests are short-lived: a classic durable queue keeps latency low, and it has no
 * dead-letter exchange so requests that expire at the caller's deadline simply vanish. A
 * request that cannot be answered at all (no reply address) is copied to its `.dlq`. Bounded
 * like consuming queues: a full request queue refuses a request, and the caller fails at once.
 */
export async function declareRpcQueue(
  channel: Channel,
  queue: RpcQueue,
  declaration: QueueDeclaration = {},
): Promise<void> {
  const dlq = deadLetterQueueName(queue.name);
  await assertQueueOrKeep(channel, dlq, deadLetterQueueOptions(), declaration, true);
  const options = rpcQueueOptions(declaration.maxLength);
  await assertQueueOrKeep(channel, queue.name, options, declaration);
  await channel.bindQueue(queue.name, queue.binding.exchange, queue.binding.routingKey);
}
