/** What a raw order flow process is started with (by the bench: support/raw-flow-load.ts). */
export interface RawFlowEnv {
  RABBITMQ_URL: string;
  DATABASE_URL: string;
  PORT: string;
  /** Its pg pool's size: the services' DEFAULT_POOL_SIZE, passed by the bench. */
  poolSize: number;
}

export function rawFlowEnv(): RawFlowEnv {
  const { RABBITMQ_URL, DATABASE_URL, PORT, RAW_FLOW_POOL_SIZE } = process.env;
  const poolSize = Number(RAW_FLOW_POOL_SIZE);
  if (!RABBITMQ_URL || !DATABASE_URL || !PORT || !(poolSize > 0)) {
    throw new Error(
      'a raw flow process needs RABBITMQ_URL, DATABASE_URL, PORT and RAW_FLOW_POOL_SIZE',
    );
  }
  return { RABBITMQ_URL, DATABASE_URL, PORT, poolSize };
}
