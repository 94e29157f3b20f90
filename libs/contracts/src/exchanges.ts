/** Topic exchange for integration events; the routing key is the event type. */
export const EVENTS_EXCHANGE = 'events';
/** Direct exchange for request/reply; the routing key names the procedure. */
export const RPC_EXCHANGE = 'rpc';
