/** Topic exchange for integration events; the routing key is the event type. */
export const EVENTS_EXCHANGE = 'events';
/** Direct exchange for request/reply; the routing key names the procedure. */
export const RPC_EXCHANGE = 'rpc';
/**
 * The event log: a stream bound to the events exchange with `#`, keeping every event for
 * EVENT_LOG_MAX_AGE, from which `npm run replay` re-delivers history to a consuming queue.
 */
export const EVENT_LOG_QUEUE = 'events.log';
