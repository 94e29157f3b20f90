import { baseConfigSchema } from '@app/platform';

/**
 * The starter's QUEUE_MAX_LENGTH default: raw queues are bounded as its queues are. Kept out of
 * raw-amqp.ts, which the raw flow's processes load: they load pg and amqplib, not the starter.
 */
export const STARTER_QUEUE_MAX_LENGTH = baseConfigSchema({
  port: 0,
  serviceName: 'bench',
}).shape.QUEUE_MAX_LENGTH.parse(undefined);
