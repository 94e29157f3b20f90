/**
 * What to tell the broker about a delivery once processing is over: `ack` it, `reject` it
 * (the queue's dead-letter exchange takes it), or `requeue` it for another try.
 */
export type Settlement = 'ack' | 'reject' | 'requeue';
