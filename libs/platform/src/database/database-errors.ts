/**
 * Errors meaning "the database cannot be reached right now", as opposed to errors of the
 * statement itself: connection refused or reset, the server shutting down or starting up, a
 * pool that cannot hand out a connection. Drizzle wraps driver errors, so causes are followed.
 * Consumers hold a message through such an error; through one a socket raised, only while
 * DatabasePing gets no answer either (another service's refused connection reads the same).
 */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
]);

/** admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections; and class 08. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

const isUnavailableSqlState = (code: string): boolean =>
  /^[0-9A-Z]{5}$/.test(code) && (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08'));

const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /terminating connection/i,
];

/**
 * The database, or its pooler, answered that it cannot serve now (a SQLSTATE of class 08, a
 * shutdown, too many connections): no other service answers so. Such an error is an outage
 * whatever a ping says a moment later: PgBouncer refuses for `server_login_retry` after a failed
 * login, while PostgreSQL, back already, would answer the next statement.
 */
export function isUnavailableAnswer(error: unknown): boolean {
  return causeChain(error).some(
    ({ code }) => typeof code === 'string' && isUnavailableSqlState(code),
  );
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return causeChain(error).some(
    ({ code, message }) =>
      (typeof code === 'string' &&
        (UNAVAILABLE_SOCKET_CODES.has(code) || isUnavailableSqlState(code))) ||
      (typeof message === 'string' &&
        UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))),
  );
}

/**
 * SQLSTATE classes of errors in the statement or its data, which the same message can never get
 * past: 22 data exception (a value out of range, invalid text), 23 integrity constraint, 42 syntax
 * error or undefined object, 54 program limit exceeded (an index row too large). Two integrity
 * violations stay transient: a unique or exclusion violation may be a concurrent writer that got
 * there first, and a retry then finds its row. Serialization failures and deadlocks (class 40)
 * are transient too.
 */
const PERMANENT_CLASSES = new Set(['22', '23', '42', '54']);
const TRANSIENT_IN_PERMANENT_CLASSES = new Set(['23505', '23P01']);

/**
 * How a permanent database error reads ("SQLSTATE 54000: index row size … exceeds …", the
 * driver's own message, not the query and its parameters), following causes; else undefined.
 */
export function permanentDatabaseError(error: unknown): string | undefined {
  const found = causeChain(error).find(
    ({ code }) =>
      typeof code === 'string' &&
      /^[0-9A-Z]{5}$/.test(code) &&
      PERMANENT_CLASSES.has(code.slice(0, 2)) &&
      !TRANSIENT_IN_PERMANENT_CLASSES.has(code),
  );
  if (!found) return undefined;
  const { code, message } = found;
  return `SQLSTATE ${String(code)}: ${typeof message === 'string' ? message : 'database error'}`;
}

/** `error` and the causes it wraps (drizzle wraps the driver's), six at most. */
function causeChain(error: unknown): { code?: unknown; message?: unknown }[] {
  const chain: { code?: unknown; message?: unknown; cause?: unknown }[] = [];
  for (let current = error; typeof current === 'object' && current !== null;) {
    if (chain.push(current) > 5) break;
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}
