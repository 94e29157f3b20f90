import { connect } from 'amqplib';
import { Client } from 'pg';
import { managementEndpoint } from './isolated-broker';
import { type TestSettings, testSettings } from './test-environment';
import { fetchManagement } from './management-fetch';

/** Something the integration, end-to-end and fault suites need and cannot reach. */
export interface InfrastructureProblem {
  what: string;
  reason: string;
  fix: string;
}

const PROBE_TIMEOUT_MS = 3_000;

/** `host:port` of a URL, never its credentials. */
function hostOf(url: string, defaultPort: number): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || defaultPort}`;
}

/** The first line of what went wrong, with the system error code when there is one. */
function reasonOf(error: unknown): string {
  // fetch wraps the socket's error as its cause. Errors may come from another realm (jest's
  // sandbox), so their shape is read, not their class.
  const { cause: wrapped } = (error ?? {}) as { cause?: unknown };
  const cause = typeof wrapped === 'object' && wrapped !== null ? wrapped : error;
  const { code, message } = cause as { code?: unknown; message?: unknown };
  if (code === 'ECONNREFUSED') return 'connection refused';
  const text = typeof message === 'string' && message ? message.split('\n')[0] : String(cause);
  const short = text.replace(/ with message ".*"$/, '');
  return typeof code === 'string' && !short.includes(code) ? `${short} (${code})` : short;
}

/** Reasons meaning the server was not there at all, rather than there and saying no. */
const UNREACHABLE =
  /connection (refused|terminated)|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|time(d )?out/i;

/** A probe's failure, with the fix for a server that is not there or one that says no. */
function problemOf(
  what: string,
  error: unknown,
  fixes: { unreachable: string; refused: string },
): InfrastructureProblem {
  const reason = reasonOf(error);
  return { what, reason, fix: UNREACHABLE.test(reason) ? fixes.unreachable : fixes.refused };
}

async function probeBroker(url: string): Promise<InfrastructureProblem | undefined> {
  try {
    const connection = await connect(url, { timeout: PROBE_TIMEOUT_MS });
    await connection.close();
    return undefined;
  } catch (error) {
    return problemOf(`RabbitMQ at ${hostOf(url, 5672)}`, error, {
      unreachable:
        'start it with `docker compose up -d rabbitmq`, or point RABBITMQ_URL at a running broker',
      refused: 'check the user, password and virtual host in RABBITMQ_URL',
    });
  }
}

/** The management API creates a virtual host per test file: it must answer an administrator. */
export async function probeManagement(
  settings: TestSettings,
): Promise<InfrastructureProblem | undefined> {
  const { base, authorization } = managementEndpoint(settings);
  const what = `the RabbitMQ management API at ${hostOf(base, 15672)}`;
  const fix =
    'enable it with `rabbitmq-plugins enable rabbitmq_management`, or set RABBITMQ_MANAGEMENT_URL';
  try {
    const response = await fetchManagement(`${base}/api/overview`, {
      headers: { authorization },
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    if (response.ok) return undefined;
    return {
      what,
      reason: `answered ${response.status}`,
      fix: 'give RABBITMQ_MANAGEMENT_URL the credentials of an administrator',
    };
  } catch (error) {
    return { what, reason: reasonOf(error), fix };
  }
}

async function probeDatabase(url: string): Promise<InfrastructureProblem | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return problemOf(`PostgreSQL at ${hostOf(url, 5432)}`, error, {
      unreachable:
        'start it with `docker compose up -d postgres`, or point DATABASE_URL at a running server',
      refused: 'check the user, password and database in DATABASE_URL',
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** What of RabbitMQ, its management API and PostgreSQL the tests cannot use, probed at once. */
export async function findInfrastructureProblems(
  settings: TestSettings = testSettings,
): Promise<InfrastructureProblem[]> {
  const [broker, management, database] = await Promise.all([
    probeBroker(settings.rabbitmqUrl),
    probeManagement(settings),
    probeDatabase(settings.databaseUrl),
  ]);
  // A broker that is down takes its management API with it: one fix is enough.
  return [broker, broker ? undefined : management, database].filter(
    (problem): problem is InfrastructureProblem => problem !== undefined,
  );
}

export function explainInfrastructureProblems(problems: InfrastructureProblem[]): string {
  return [
    'These tests need RabbitMQ (with its management API) and PostgreSQL, and cannot use:',
    ...problems.flatMap(({ what, reason, fix }) => [`  - ${what}: ${reason}`, `      ${fix}`]),
    'Unit tests need neither: npm run test:unit',
  ].join('\n');
}

/**
 * Jest global setup of the suites that need the broker and the database: when something is
 * missing, stop before any suite runs, with a few lines saying what and how to fix it, instead
 * of every suite failing on its own with the same long error.
 */
export async function requireInfrastructure(settings: TestSettings = testSettings): Promise<void> {
  const problems = await findInfrastructureProblems(settings);
  if (problems.length === 0) return;
  const explanation = explainInfrastructureProblems(problems);
  const error = new Error(explanation);
  // Jest prints the stack of a failed global setup: let it be the explanation alone.
  error.stack = explanation;
  throw error;
}
