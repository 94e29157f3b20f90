/** Every metric the libraries export, named in one place (Prometheus naming: unit suffixes). */
export const MetricNames = {
  messagesConsumed: 'messaging_messages_consumed_total',
  handlerDuration: 'messaging_handler_duration_seconds',
  messagesPublished: 'messaging_messages_published_total',
  rpcClientDuration: 'messaging_rpc_client_duration_seconds',
  rpcClientTimeouts: 'messaging_rpc_client_timeouts_total',
  queueMessages: 'messaging_queue_messages',
  queueConsumers: 'messaging_queue_consumers',
  brokerBlocked: 'messaging_broker_blocked',
  outboxPending: 'outbox_pending_messages',
  outboxOldestPendingAge: 'outbox_oldest_pending_age_seconds',
  outboxScheduledPending: 'outbox_scheduled_messages',
  outboxScheduledLateness: 'outbox_scheduled_lateness_seconds',
  periodicJobRuns: 'periodic_job_runs_total',
  periodicJobDuration: 'periodic_job_duration_seconds',
  periodicJobLastSuccess: 'periodic_job_last_success_timestamp_seconds',
  periodicJobLatestTick: 'periodic_job_latest_tick_timestamp_seconds',
  httpRequests: 'http_requests_total',
  httpRequestDuration: 'http_request_duration_seconds',
} as const;

/**
 * What became of a consumed message. `rejected`: handed back to the broker with a reject, as its
 * dead-letter copy could not be published (or its processor failed), and the broker dead-letters
 * it to the queue's `.dlq` itself; `dropped`: the same on an RPC queue, which has no dead-letter
 * exchange, so the request is gone (its caller fails at its deadline).
 */
export type ConsumeOutcome =
  | 'ack'
  | 'duplicate'
  | 'retry'
  | 'deferred'
  | 'dead_lettered'
  | 'rejected'
  | 'dropped'
  | 'requeued'
  | 'replied'
  | 'expired';

export type PublishOutcome = 'confirmed' | 'unroutable' | 'refused' | 'failed';
export type RpcOutcome = 'ok' | 'error' | 'timeout';
/** What became of one tick of a periodic job on one replica: `skipped` when another had it. */
export type PeriodicJobOutcome = 'succeeded' | 'failed' | 'skipped';
