import type { IncomingMessage } from 'node:http';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { CLS_ID, ClsServiceManager } from 'nestjs-cls';
import type { Params } from 'nestjs-pino';
import pino, { type DestinationStream } from 'pino';
import { CORRELATION_ID_HEADER } from './correlation-headers';
import { type LogFormat, prettyDestination } from './pretty-log-lines';

/**
 * Adds the current correlation id, and the trace and span ids, to every log line written
 * inside a request or message context.
 */
export function correlationLogMixin(): Record<string, string> {
  const cls = ClsServiceManager.getClsService();
  const correlationId = cls.isActive() ? cls.getId() : undefined;
  const span = trace.getActiveSpan()?.spanContext();
  return {
    ...(correlationId ? { correlationId } : {}),
    ...(span && isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : {}),
  };
}

/**
 * Logs a line about a message outside its handling (its context is gone, or never began) under
 * the message's correlation id, so that the line is found with the others of its flow.
 */
export function logUnderCorrelationId(correlationId: string | undefined, log: () => void): void {
  if (correlationId === undefined) return log();
  const cls = ClsServiceManager.getClsService();
  cls.run({ ifNested: 'override' }, () => {
    cls.set(CLS_ID, correlationId);
    log();
  });
}

const QUIET_ROUTES = ['/health', '/metrics'];

/**
 * Standard output, written asynchronously: a synchronous write per line costs a system call on
 * the hot path, while here lines logged in the same tick go out together. Nothing is held back
 * on purpose (no minimum length), and `flushLogsThen` writes out what is pending at exit.
 */
const logDestination = pino.destination({ dest: 1, sync: false });

/** Set once the process starts to exit: the destination is then ended, and closes. */
let exiting = false;

/**
 * What the loggers write to: standard output. A line logged once it closed for the exit (a late
 * notice of the shutdown) is dropped, not thrown at whoever logged it.
 */
const logOutput: DestinationStream = {
  write: (line: string) => {
    try {
      logDestination.write(line);
    } catch (error) {
      if (!exiting) throw error;
    }
  },
};

/** How long the last lines may take to leave before the process goes without them. */
const FINAL_FLUSH_TIMEOUT_MS = 2_000;

/**
 * Writes every pending log line out, in order, then calls `then` (which exits); called again,
 * it leaves that to the first call. A write may be under way with lines logged before the
 * pending ones: a synchronous flush would put them after those, or lose them to the exit.
 * Ending the destination waits for it, then writes the rest (standard output itself stays
 * open). Past FINAL_FLUSH_TIMEOUT_MS (a reader that stopped reading) `then` runs without them.
 */
export function flushLogsThen(then: () => void): void {
  if (exiting) return;
  exiting = true;
  let called = false;
  const finish = () => {
    if (called) return;
    called = true;
    clearTimeout(timer);
    then();
  };
  const timer = setTimeout(finish, FINAL_FLUSH_TIMEOUT_MS);
  logDestination.once('close', finish);
  try {
    logDestination.end();
  } catch {
    finish();
  }
}

/**
 * nestjs-pino settings: JSON lines (or human-readable ones, in development), correlation id on
 * each, no secrets, probes not logged.
 */
export function loggerParams(options: {
  service: string;
  level: string;
  format: LogFormat;
}): Params {
  return {
    pinoHttp: [
      {
        level: options.level,
        base: { service: options.service },
        mixin: correlationLogMixin,
        genReqId: (req: IncomingMessage) => String(req.headers[CORRELATION_ID_HEADER] ?? ''),
        autoLogging: {
          ignore: (req: IncomingMessage) =>
            QUIET_ROUTES.some((route) => req.url?.startsWith(route) ?? false),
        },
        redact: ['req.headers.authorization', 'req.headers.cookie'],
        serializers: {
          req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
      },
      options.format === 'pretty' ? prettyDestination(logOutput) : logOutput,
    ],
  };
}
