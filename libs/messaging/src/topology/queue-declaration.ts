import type { Channel, Options } from 'amqplib';
import { errorMessage } from '../errors';

/** How a service declares its queues beyond their names: cluster settings and failure policy. */
export interface QueueDeclaration {
  /** `x-quorum-initial-group-size` of new quorum queues; unset, the broker's default. */
  quorumInitialGroupSize?: number;
  /**
   * `x-max-length` of consuming and RPC queues (QUEUE_MAX_LENGTH), with overflow
   * `reject-publish`: a full queue refuses publishes, which producers retry later. Unset,
   * unbounded. Retry and dead-letter queues stay unbounded (see declare-topology).
   */
  maxLength?: number;
  /**
   * Opens a short-lived channel. Given, each queue is asserted on one of its own, so a refused
   * declaration (see `assertQueueOrKeep`) closes that channel and not the consumer's.
   */
  openSpareChannel?: () => Promise<Channel>;
  warn?: (message: string) => void;
}

const PRECONDITION_FAILED = 406;
const NOT_FOUND = 404;

function replyCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Asserts a queue, keeping an existing one the broker will not redeclare: a queue created with
 * other arguments (say, before QUORUM_INITIAL_GROUP_SIZE was set) answers 406 and is used as it
 * is, with a warning, rather than keeping the service from consuming. A classic queue whose node
 * is down answers 404; when `optional`, it is skipped with a warning (a dead-letter queue: the
 * quorum queue keeps what it would dead-letter until its target is back).
 */
export async function assertQueueOrKeep(
  channel: Channel,
  name: string,
  options: Options.AssertQueue,
  declaration: QueueDeclaration,
  optional = false,
): Promise<void> {
  if (!declaration.openSpareChannel) {
    await channel.assertQueue(name, options);
    return;
  }
  const spare = await declaration.openSpareChannel();
  // The broker closing it after a refusal is expected; the refusal itself is handled below.
  spare.on('error', () => undefined);
  try {
    await spare.assertQueue(name, options);
  } catch (error) {
    const code = replyCode(error);
    if (code === PRECONDITION_FAILED) {
      declaration.warn?.(
        `Queue ${name} exists with other arguments than declared; using it as it is (${errorMessage(error)}). To change a live queue's limits, see "Changing a queue's arguments" in docs/operations.md`,
      );
    } else if (code === NOT_FOUND && optional) {
      declaration.warn?.(
        `Queue ${name} is not available (${errorMessage(error)}); going on without it`,
      );
    } else {
      throw error;
    }
  } finally {
    await spare.close().catch(() => undefined);
  }
}
