import { EVENT_LOG_QUEUE, EVENTS_EXCHANGE, RPC_EXCHANGE } from '@app/contracts';
import {
  deadLetterQueueName,
  retryQueueName,
  type QueueDefinition,
  type ServiceTopology,
} from '@app/messaging';
import { anchoredAlternatives, escapeRegex } from './permission-pattern';

/** What a service needs on the broker besides what its topology says it consumes. */
export interface ServiceAccess {
  topology: ServiceTopology;
  /** Exchanges it publishes to; `''` is the default exchange. */
  publishesTo: readonly string[];
  /** The event types it publishes: the only routing keys it may use on the events exchange. */
  publishesEvents: readonly string[];
}

/** A user's permissions on one virtual host: anchored regexes over exchange and queue names. */
export interface Permissions {
  configure: string;
  write: string;
  read: string;
}

/** A user's topic permissions on one topic exchange: anchored regexes over routing keys. */
export interface TopicPermissions {
  exchange: string;
  write: string;
  read: string;
}

/** Every service asserts both exchanges at start (declareExchanges and golevelup's config). */
const ASSERTED_EXCHANGES = [EVENTS_EXCHANGE, RPC_EXCHANGE];

/**
 * Every service declares the event log at start and binds it to the events exchange
 * (declareEventLog): configure and write on the stream, read on the exchange. Reading the log
 * is the operator's (npm run replay), not a service's.
 */
const EVENT_LOG = escapeRegex(EVENT_LOG_QUEUE);

/** In permission checks the default exchange (`''`) is called `amq.default`. */
const DEFAULT_EXCHANGE = 'amq.default';

const RETRY_DELAY_MARK = 1_234_567;

/**
 * Retry queues of any delay: RETRY_DELAYS_MS is read at boot, so changing it must not need new
 * permissions. The shape comes from retryQueueName, so a renamed retry queue follows here.
 */
function anyRetryQueue(queue: string): string {
  const name = retryQueueName(queue, RETRY_DELAY_MARK);
  // The last mark is the delay's: a queue named `q1234567` has one of its own before it.
  const at = name.lastIndexOf(String(RETRY_DELAY_MARK));
  const before = name.slice(0, at);
  const after = name.slice(at + String(RETRY_DELAY_MARK).length);
  return `${escapeRegex(before)}[0-9]+${escapeRegex(after)}`;
}

/** The queue, its dead-letter queue and, for a consumer queue, its retry queues. */
function ownQueuePatterns(queue: QueueDefinition): string[] {
  const own = [escapeRegex(queue.name), escapeRegex(deadLetterQueueName(queue.name))];
  return queue.kind === 'consumer' ? [...own, anyRetryQueue(queue.name)] : own;
}

function boundExchanges(queue: QueueDefinition): string[] {
  if (queue.kind === 'rpc') return [queue.binding.exchange];
  return queue.exchange === undefined ? [] : [queue.exchange];
}

/**
 * Exchanges written to. A service with queues also needs the default exchange: it copies failed
 * messages to retry and dead-letter queues and answers RPCs through it, and declaring a queue
 * whose dead-letter exchange is `''` requires write permission on it.
 */
function writtenExchanges(access: ServiceAccess, queues: QueueDefinition[]): string[] {
  const published = access.publishesTo.map((exchange) => exchange || DEFAULT_EXCHANGE);
  return queues.length > 0 ? [...published, DEFAULT_EXCHANGE] : published;
}

/**
 * The least a service needs, derived from its topology:
 * - configure: its own queues, the exchanges it asserts, and the event log;
 * - write: the exchanges it publishes to, its own queues and the event log (binding one needs
 *   write on it);
 * - read: its own queues, and the exchanges they and the event log are bound to.
 * Consuming the direct reply-to pseudo-queue `amq.rabbitmq.reply-to` needs no permission.
 */
export function servicePermissions(access: ServiceAccess): Permissions {
  const queues = Object.values(access.topology.queues);
  const own = queues.flatMap(ownQueuePatterns);
  const exchanges = (names: string[]) => names.map(escapeRegex);
  return {
    configure: anchoredAlternatives([...own, EVENT_LOG, ...exchanges(ASSERTED_EXCHANGES)]),
    write: anchoredAlternatives([
      ...own,
      EVENT_LOG,
      ...exchanges(writtenExchanges(access, queues)),
    ]),
    read: anchoredAlternatives([
      ...own,
      ...exchanges([...new Set([...queues.flatMap(boundExchanges), EVENTS_EXCHANGE])]),
    ]),
  };
}

/**
 * RabbitMQ topic authorisation on the events exchange: a service publishes only the event types
 * it owns, so a leaked or buggy service cannot forge another's events (a payment cannot announce
 * order.created). Binding keys (read) stay open: which queues a service reads is limited above.
 */
export function serviceTopicPermissions(access: ServiceAccess): TopicPermissions[] {
  return [
    {
      exchange: EVENTS_EXCHANGE,
      write: anchoredAlternatives(access.publishesEvents.map(escapeRegex)),
      read: '.*',
    },
  ];
}
