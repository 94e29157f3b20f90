/** What a raw order flow process is started with (by the bench: support/raw-flow-load.ts). */
export interface RawFlowEnv {
  RABBITMQ_URL: string;
  DATABASE_URL: string;
  PORT: string;
  /** Its pg pool's size: the services' DEFAULT_POOL_SIZE, passed by the bench. */
  poolSize: number;
  /** How long its idle pg connections stay open: the services' POOL_IDLE_TIMEOUT_MS. */
  poolIdleTimeoutMs: number;
}

export function rawFlowEnv(): RawFlowEnv {
  const { RABBITMQ_URL, DATABASE_URL, PORT, RAW_FLOW_POOL_SIZE, RAW_FLOW_POOL_IDLE_MS } =
    process.env;
  const poolSize = Number(RAW_FLOW_POOL_SIZE);
  const poolIdleTimeoutMs = Number(RAW_FLOW_POOL_IDLE_MS);
  if (!RABBITMQ_URL || !DATABASE_URL || !PORT || !(poolSize > 0) || !(poolIdleTimeoutMs > 0)) {
    throw new Error(
      'a raw flow process needs RABBITMQ_URL, DATABASE_URL, PORT, RAW_FLOW_POOL_SIZE and RAW_FLOW_POOL_IDLE_MS',
    );
  }
  return { RABBITMQ_URL, DATABASE_URL, PORT, poolSize, poolIdleTimeoutMs };
}
