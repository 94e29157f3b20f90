import type { DestinationStream } from 'pino';
import type { MessageFormatFunc } from 'pino-pretty';
import { printable } from './printable';

/** How log lines are written: JSON for machines, or human-readable for a developer's terminal. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Fields shown in the message (or on the terminal's prefix) rather than listed after it. */
const FOLDED = ['pid', 'hostname', 'service', 'context', 'correlationId', 'traceId', 'spanId'];
const REQUEST = ['req', 'res', 'responseTime'];

interface RequestLog {
  req: { method: string; url: string };
  res: { statusCode: number };
  responseTime?: number;
}

const isRequestLog = (log: Record<string, unknown>): log is Record<string, unknown> & RequestLog =>
  typeof log.req === 'object' &&
  log.req !== null &&
  typeof log.res === 'object' &&
  log.res !== null;

/**
 * `[Context] message correlationId=…`, as Nest's own logger shows the context; the request log
 * reads `POST /orders 202 in 12 ms`. Messages quote what clients sent (a type, a body's parse
 * error), and pino-pretty escapes the fields it writes but not what this returns: escaped here.
 */
export const formatLogMessage: MessageFormatFunc = (log, messageKey, _level, { colors }) => {
  const context = typeof log.context === 'string' ? colors.yellow(`[${log.context}] `) : '';
  const logged = log[messageKey];
  const text = typeof logged === 'string' ? logged : (JSON.stringify(logged) ?? '');
  const message = isRequestLog(log)
    ? `${log.req.method} ${log.req.url} ${log.res.statusCode} in ${log.responseTime ?? '?'} ms` +
      (text === 'request completed' ? '' : ` (${text})`)
    : text;
  const id = typeof log.correlationId === 'string' ? log.correlationId : undefined;
  return `${context}${printable(message)}${id ? colors.gray(` correlationId=${printable(id)}`) : ''}`;
};

/**
 * Writes each JSON log line to `destination` as one human-readable, coloured line (an error's
 * stack follows on its own lines). Formatting happens as the line is logged, in this thread: what
 * reaches `destination` is flushed with it at exit, as JSON lines are. pino-pretty and what it
 * pulls in are loaded here, on demand: a service logging JSON never needs them.
 */
export function prettyDestination(
  destination: DestinationStream,
  colorize?: boolean,
): DestinationStream {
  type PinoPrettyModule = typeof import('pino-pretty');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see above
  const { isColorSupported, prettyFactory } = require('pino-pretty') as PinoPrettyModule;
  const prettify = prettyFactory({
    colorize: colorize ?? isColorSupported,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: [...FOLDED, ...REQUEST].join(','),
    singleLine: true,
    messageFormat: formatLogMessage,
  });
  return { write: (line: string) => destination.write(prettify(line)) };
}
