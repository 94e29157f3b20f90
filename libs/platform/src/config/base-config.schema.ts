import { LOG_FORMATS } from '@app/correlation';
import { z } from 'zod';
import { envUrlList } from './cluster-urls';
import { urlProblem } from './url-problem';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A whole number read from an environment string, rejecting `abc`, `1.5` and empty values. */
export const envInteger = (options: { min?: number; max?: number } = {}) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number)
    // Whole by the pattern; bounds within the safe integers, so one bound names the problem.
    .pipe(
      z
        .number()
        .min(Math.max(options.min ?? Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER))
        .max(Math.min(options.max ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)),
    );

export const envRate = () =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'must be a number between 0 and 1')
    .transform(Number)
    .pipe(z.number().min(0).max(1));

export const envUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .superRefine((value, context) => {
      const problem = urlProblem(value, protocols);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    });

const MAX_RETRY_DELAY_MS = 86_400_000;
/** Each delay is three retry queues per consuming queue (jittered): a handful is plenty. */
const MAX_RETRY_DELAYS = 10;

/**
 * The longest any retention may be, a hundred years: the pruners subtract it from now() with
 * make_interval, which takes a 32-bit number of hours and must land after 4713 BC.
 */
const MAX_RETENTION_HOURS = 100 * 365 * 24;

/** A retention setting, in hours: at least one, at most a hundred years. */
export const retentionHours = () => envInteger({ min: 1, max: MAX_RETENTION_HOURS });

/** How long the event log keeps events unless EVENT_LOG_MAX_AGE says otherwise. */
export const DEFAULT_EVENT_LOG_MAX_AGE = '7D';

const delayList = z
  .string()
  .trim()
  .regex(/^\d+(\s*,\s*\d+)*$/, 'must be a comma-separated list of milliseconds, e.g. 1000,5000')
  .transform((value) => value.split(',').map((part) => Number(part.trim())))
  .refine(
    (delays) => delays.every((delay) => delay > 0 && delay <= MAX_RETRY_DELAY_MS),
    'every delay must be above 0 and at most a day (86400000)',
  )
  .refine(
    (delays) => delays.length <= MAX_RETRY_DELAYS,
    `must list at most ${MAX_RETRY_DELAYS} delays`,
  );

/** Settings every service shares (DESIGN §5). Service schemas extend this. */
export const baseConfigSchema = (defaults: { port: number; serviceName: string }) =>
  z.object({
    /** One node, or the comma-separated nodes of one cluster (tried in order, then failed over). */
    RABBITMQ_URL: envUrlList(['amqp:', 'amqps:']).default('amqp://guest:guest@localhost:5672'),
    /**
     * Replicas of each quorum queue when it is first declared (`x-quorum-initial-group-size`);
     * unset, the broker's default (every node, up to its limit). 3 suits a three-node cluster.
     */
    QUORUM_INITIAL_GROUP_SIZE: envInteger({ min: 1, max: 7 }).optional(),
    /** Everything transactional goes through this URL, which may be a transaction pooler. */
    DATABASE_URL: envUrl(['postgres:', 'postgresql:']).default(
      'postgres://postgres@localhost:5432/postgres',
    ),
    /**
     * What needs a session of its own (the migrations' advisory lock) connects here, past any
     * transaction pooler; unset, DATABASE_URL.
     */
    DATABASE_DIRECT_URL: envUrl(['postgres:', 'postgresql:']).optional(),
    /** A fixed port, the one probes, compose and Prometheus name: 0 (any free port) is refused. */
    PORT: envInteger({ min: 1, max: 65535 }).default(defaults.port),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    /** `pretty` for a developer's terminal (`npm run start:dev` sets it); JSON lines otherwise. */
    LOG_FORMAT: z.enum(LOG_FORMATS).default('json'),
    RPC_TIMEOUT_MS: envInteger({ min: 1, max: 600_000 }).default(2000),
    RETRY_DELAYS_MS: delayList.default([1000, 5000, 25000]),
    SHUTDOWN_TIMEOUT_MS: envInteger({ min: 0, max: 600_000 }).default(10_000),
    /** Largest message body published or consumed; bigger payloads belong in storage (claim check). */
    MAX_MESSAGE_BYTES: envInteger({ min: 1024, max: 16 * 1024 * 1024 }).default(256 * 1024),
    /** Sent outbox rows are kept this long (for inspection), then pruned. */
    OUTBOX_RETENTION_HOURS: retentionHours().default(168),
    /**
     * Inbox rows are kept this long. A copy of a message redelivered after its row is pruned would
     * be handled again, so keep this longer than any redelivery or replay can take.
     */
    INBOX_RETENTION_HOURS: retentionHours().default(720),
    /** Succeeded workflows (their join state) are kept this long, then pruned; failed ones stay. */
    WORKFLOW_RETENTION_HOURS: retentionHours().default(168),
    /** Readiness fails while the oldest unpublished outbox row is older than this. */
    OUTBOX_MAX_LAG_MS: envInteger({ min: 1_000 }).default(60_000),
    /**
     * Ready messages a consuming queue holds at most (`x-max-length`); past it the broker refuses
     * publishes (`x-overflow: reject-publish`) and producers' outboxes keep them (backpressure).
     */
    QUEUE_MAX_LENGTH: envInteger({ min: 1 }).default(100_000),
    /**
     * How long the event log (the `events.log` stream) keeps events: a number and a unit of
     * Y, M, D, h, m or s, as RabbitMQ's `x-max-age` takes it. Fixed when the stream is created.
     */
    EVENT_LOG_MAX_AGE: z
      .string()
      .trim()
      .regex(/^[1-9]\d*[YMDhms]$/, {
        message: 'must be a number and one of Y, M, D, h, m, s, e.g. 7D',
        abort: true,
      })
      // The inbox must keep its rows as long (sharedSettingProblems), which it can for 100 years.
      .refine((age) => eventLogAgeHours(age) <= MAX_RETENTION_HOURS, 'must be at most 100Y')
      .default(DEFAULT_EVENT_LOG_MAX_AGE),
    OTEL_EXPORTER_OTLP_ENDPOINT: envUrl(['http:', 'https:']).optional(),
    OTEL_SERVICE_NAME: z.string().trim().min(1).default(defaults.serviceName),
  });

export type BaseConfig = z.output<ReturnType<typeof baseConfigSchema>>;

/**
 * The URL for session-bound work: DATABASE_DIRECT_URL, else DATABASE_URL. An empty one (compose's
 * `${DATABASE_DIRECT_URL:-}`) counts as unset too, whoever read it.
 */
export function directDatabaseUrl(
  config: Pick<BaseConfig, 'DATABASE_URL' | 'DATABASE_DIRECT_URL'>,
): string {
  return config.DATABASE_DIRECT_URL || config.DATABASE_URL;
}

/** Hours in each unit of EVENT_LOG_MAX_AGE (a year and a month as 365 and 30 days). */
const AGE_UNIT_HOURS: Record<string, number> = {
  Y: 365 * 24,
  M: 30 * 24,
  D: 24,
  h: 1,
  m: 1 / 60,
  s: 1 / 3600,
};

/** An EVENT_LOG_MAX_AGE already validated (`7D`), in hours. */
export function eventLogAgeHours(age: string): number {
  return Number(age.slice(0, -1)) * AGE_UNIT_HOURS[age.slice(-1)];
}

/**
 * What is wrong between shared settings each valid on its own, one problem per variable: the
 * inbox must remember every event the log can replay, or a replay would handle some again.
 */
export function sharedSettingProblems(
  config: Partial<Pick<BaseConfig, 'EVENT_LOG_MAX_AGE' | 'INBOX_RETENTION_HOURS'>>,
): string[] {
  const { EVENT_LOG_MAX_AGE: age, INBOX_RETENTION_HOURS: retention } = config;
  if (age === undefined || retention === undefined) return [];
  const ageHours = Math.ceil(eventLogAgeHours(age));
  if (ageHours <= retention) return [];
  return [
    `INBOX_RETENTION_HOURS: must be at least EVENT_LOG_MAX_AGE (${age}, ${ageHours} hours): ` +
      'an event replayed after its inbox row was pruned would be handled again',
  ];
}
