import type { ServiceName } from '@app/services';
import { freePort, repositoryRoot, serviceStartArguments, waitFor } from '@app/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

const ROOT = repositoryRoot();

/** The start arguments without `--require <tracing preload>`. */
function withoutPreload(args: string[]): string[] {
  const at = args.indexOf('--require');
  return at < 0 ? args : [...args.slice(0, at), ...args.slice(at + 2)];
}

/**
 * A built service run as `npm run start:<name>` runs it (the arguments come from package.json).
 * Its output goes to a log file, so the bench process spends no CPU reading it.
 */
export class BenchService {
  private readonly exit: Promise<number | null>;

  private constructor(
    readonly name: ServiceName,
    readonly port: number,
    readonly logFile: string,
    private readonly child: ChildProcess,
  ) {
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /**
   * `preload: false` leaves the tracing preload out, for a diagnostic of what it costs;
   * `nodeArguments` go before the start arguments (`--cpu-prof` with `--profile`); `script`
   * runs that instead of the service, with the service's node options and no preload.
   */
  static async start(
    name: ServiceName,
    env: Record<string, string>,
    logFile: string,
    options: { preload?: boolean; nodeArguments?: string[]; script?: string[] } = {},
  ): Promise<BenchService> {
    const port = await freePort();
    const log = openSync(logFile, 'a');
    const start = serviceStartArguments(name, ROOT);
    const nodeOptions = withoutPreload(start).slice(0, -1);
    const child = spawn(
      process.execPath,
      [
        ...(options.nodeArguments ?? []),
        ...(options.script
          ? [...nodeOptions, ...options.script]
          : options.preload === false
            ? withoutPreload(start)
            : start),
      ],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env, PORT: String(port) },
        stdio: ['ignore', log, log],
      },
    );
    closeSync(log);
    return new BenchService(name, port, logFile, child);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  async ready(timeoutMs = 30_000): Promise<this> {
    await waitFor(
      async () => {
        if (this.child.exitCode !== null) {
          throw new Error(`${this.name} exited (${this.child.exitCode}): ${this.tail(5)}`);
        }
        const response = await fetch(`${this.url}/health/ready`).catch(() => undefined);
        return response?.status === 200;
      },
      { description: `${this.name} to be ready`, timeoutMs, intervalMs: 100 },
    );
    return this;
  }

  /** Resident set size now, from /proc (Linux). */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    if (!match) throw new Error(`No VmRSS for ${this.name} (pid ${this.pid})`);
    return Number(match[1]) * 1024;
  }

  /** Reads gauges from the service's own /metrics (Prometheus text), by metric name. */
  async metrics(names: readonly string[]): Promise<Record<string, number>> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    const found: Record<string, number> = {};
    for (const line of text.split('\n')) {
      const [name, value] = line.split(' ');
      if (names.includes(name)) found[name] = Number(value);
    }
    return found;
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }

  tail(lines: number): string {
    try {
      return readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
