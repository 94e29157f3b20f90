/**
 * What to tell the broker about a delivery once processing is over: `ack` it; `reject` it (the
 * queue's dead-letter exchange takes it); `requeue` it after a failed attempt, for the broker to
 * deliver again; or `release` it, given back unhandled (the process is stopping). A quorum queue
 * counts a rejected or requeued delivery toward its delivery limit; on RabbitMQ 4.3 and later a
 * released one is not counted.
 */
export type Settlement = 'ack' | 'reject' | 'requeue' | 'release';
