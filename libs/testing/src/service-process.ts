import { settlesWithin } from '@app/platform';
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from './free-port';
import type { ServiceName } from '@app/services';
import { repositoryRoot, serviceStartArguments } from './service-command';
import { waitFor } from './wait-for';

/**
 * A built service (dist/apps/<name>/main.js) running as a real process, as `npm run start:*`
 * runs it. Its log lines are kept for assertions and failure reports.
 */
export class ServiceProcess {
  readonly logs: string[] = [];
  private exit?: Promise<number | null>;

  private constructor(
    readonly name: ServiceName,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => this.logs.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // 'close', not 'exit': by then the process's output has been read to its end, so a test that
    // reads the logs after it exited sees its last lines.
    this.exit = new Promise((resolve) => child.once('close', (code) => resolve(code)));
  }

  /** `root`: the repository whose build runs, this one unless a test made another (the generator's). */
  static async start(
    name: ServiceName,
    env: Record<string, string>,
    root = repositoryRoot(),
  ): Promise<ServiceProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, serviceStartArguments(name, root), {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(name, port, child);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** True until the process has exited. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits until /health/ready answers 200 (boot takes seconds, far more on a loaded machine). */
  async ready(timeoutMs = 60_000): Promise<this> {
    await waitFor(
      async () => {
        if (this.child.exitCode !== null) {
          throw new Error(
            `${this.name} exited (${this.child.exitCode}): ${this.logs.slice(-5).join('\n')}`,
          );
        }
        const response = await fetch(`${this.url}/health/ready`).catch(() => undefined);
        return response?.status === 200;
      },
      { description: `${this.name} to be ready`, timeoutMs },
    );
    return this;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Sends SIGTERM and resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.running) this.child.kill('SIGTERM');
    return this.exited();
  }

  exited(): Promise<number | null> {
    return this.exit ?? Promise.resolve(this.child.exitCode);
  }

  /**
   * The exit code of a process expected to stop on its own; killed, and failing the test, when
   * it is still running after `timeoutMs` (it booted where it should have refused to).
   */
  async exitedWithin(timeoutMs = 30_000): Promise<number | null> {
    if (await settlesWithin(this.exited(), timeoutMs)) return this.exited();
    this.child.kill('SIGKILL');
    await this.exited();
    throw new Error(
      `${this.name} still ran after ${timeoutMs} ms: ${this.logs.slice(-5).join('\n')}`,
    );
  }

  /** Parsed JSON log lines, for assertions on what the service said. */
  jsonLogs(): Record<string, unknown>[] {
    return this.logs.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }
}
