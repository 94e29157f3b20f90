import { EVENTS_EXCHANGE } from '@app/contracts';
import { errorMessage, ManagementReader } from '@app/messaging';

/**
 * The routing keys `queue` is bound with on the events exchange, from the management API: the
 * event types it consumes, so a replay without --type sends nothing its handlers would refuse.
 */
export async function boundEventTypes(
  managementUrl: string,
  vhost: string,
  queue: string,
): Promise<string[]> {
  let bindings: { source: string; routing_key: string }[];
  try {
    bindings = await new ManagementReader(managementUrl).get('queues', vhost, queue, 'bindings');
  } catch (error) {
    throw new Error(`${errorMessage(error)}; name the events with --type`, { cause: error });
  }
  return bindings
    .filter((binding) => binding.source === EVENTS_EXCHANGE)
    .map((binding) => binding.routing_key);
}
