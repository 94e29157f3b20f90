import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { databaseAnswers } from './isolated-database';
import { waitFor } from './wait-for';

/** Debian's pgbouncer refuses to run as root; started by root, it switches to this user. */
const UNPRIVILEGED_USER = 'postgres';

function pgbouncerBinary(): string {
  for (const candidate of ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer']) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not there; try the next
    }
  }
  throw new Error(
    'PgBouncer is not installed: `apt-get install pgbouncer` (Debian), as CI does in .ci/run',
  );
}

/** Every database of the server behind it, as the user of `serverUrl`, in transaction pooling. */
function configuration(serverUrl: URL, port: number, folder: string, asRoot: boolean): string {
  const server = [
    `host=${serverUrl.hostname}`,
    `port=${serverUrl.port || 5432}`,
    `user=${decodeURIComponent(serverUrl.username || 'postgres')}`,
    ...(serverUrl.password ? [`password=${decodeURIComponent(serverUrl.password)}`] : []),
  ].join(' ');
  return [
    '[databases]',
    `* = ${server}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = any',
    'pool_mode = transaction',
    'max_client_conn = 1000',
    'default_pool_size = 40',
    // node-postgres sends no extra startup parameters, but drivers like psql may.
    'ignore_startup_parameters = extra_float_digits,options',
    // A database outage must reach the services within seconds (they hold messages and report
    // not ready), not after pgbouncer's default two minutes of queueing.
    'server_login_retry = 1',
    'query_wait_timeout = 5',
    `logfile = ${join(folder, 'pgbouncer.log')}`,
    ...(asRoot ? [`user = ${UNPRIVILEGED_USER}`] : []),
    '',
  ].join('\n');
}

/**
 * A private PgBouncer in transaction pooling mode in front of the test PostgreSQL server, as
 * production puts one in front of the primary. `pooled(url)` turns a direct database URL into
 * the same database through the pooler. Only the process started here is ever stopped.
 */
export class PgBouncer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly folder: string,
  ) {}

  static async start(serverUrl: string): Promise<PgBouncer> {
    const binary = pgbouncerBinary();
    const port = await freePort();
    const folder = mkdtempSync(join(tmpdir(), 'pgbouncer-'));
    const asRoot = process.getuid?.() === 0;
    const config = join(folder, 'pgbouncer.ini');
    writeFileSync(config, configuration(new URL(serverUrl), port, folder, asRoot));
    if (asRoot) execFileSync('chown', ['-R', UNPRIVILEGED_USER, folder]);
    const child = spawn(binary, [config], { stdio: 'ignore' });
    const bouncer = new PgBouncer(child, port, folder);
    try {
      await waitFor(() => bouncer.answers(serverUrl), {
        description: `PgBouncer on port ${port} to accept connections`,
        timeoutMs: 15_000,
      });
    } catch (error) {
      await bouncer.stop();
      throw error;
    }
    return bouncer;
  }

  /** `databaseUrl` with the pooler's address: same user, password and database. */
  pooled(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      // SIGINT: pgbouncer's "safe shutdown" waits for transactions; SIGTERM closes at once.
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.folder, { recursive: true, force: true });
  }

  private async answers(serverUrl: string): Promise<boolean> {
    if (this.child.exitCode !== null) {
      throw new Error(`PgBouncer exited with code ${this.child.exitCode}`);
    }
    return databaseAnswers(this.pooled(serverUrl));
  }
}
