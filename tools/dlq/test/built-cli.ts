import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A built tool (`npm run dlq`, `npm run replay`) as a user runs it, with only PATH and `env` set. */
export function runBuiltTool(
  tool: 'dlq' | 'replay',
  env: Record<string, string>,
  ...args: string[]
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'tools', tool, 'main.js'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      }),
    );
  });
}

/** The built dlq CLI with only PATH and RABBITMQ_URL set. */
export function runBuiltCli(rabbitmqUrl: string, ...args: string[]): Promise<CliRun> {
  return runBuiltTool('dlq', { RABBITMQ_URL: rabbitmqUrl }, ...args);
}
