import type { ServiceName } from '@app/services';
import { type ServiceProcess, waitFor } from '@app/testing';
import { spawn } from 'node:child_process';
import { interpolate, service } from './compose';
import { exitCode } from './repo-files';

/** A service's healthcheck in docker-compose.yml, and running it here against a real service. */

/** The healthcheck command, its URL, and where that URL points. */
export function healthcheck(name: ServiceName): { command: string[]; url: URL } {
  const test = service(name).healthcheck?.test;
  if (!Array.isArray(test) || test[0] !== 'CMD') {
    throw new Error(`${name}: the healthcheck must be an exec-form ["CMD", …] list`);
  }
  const command = test.slice(1).map((part) => interpolate(part));
  const url = command.join(' ').match(/https?:\/\/[^'"`\s)]+/);
  if (!url) throw new Error(`${name}: no URL in the healthcheck ${JSON.stringify(test)}`);
  return { command, url: new URL(url[0]) };
}

/** Runs a healthcheck command here, aimed at `port`, and resolves with its exit code. */
export function runHealthcheck(
  command: string[],
  composePort: string,
  port: number,
): Promise<number> {
  const [program, ...args] = command.map((part) =>
    part.replace(`127.0.0.1:${composePort}/`, `127.0.0.1:${port}/`),
  );
  const child = spawn(program === 'node' ? process.execPath : program, args, { stdio: 'ignore' });
  return exitCode(child);
}

/** Waits until `path` of the running service answers 200, failing early if the service exits. */
export async function answered(running: ServiceProcess, path: string): Promise<Response> {
  let exited = false;
  void running.exited().then(() => (exited = true));
  const probe = `${running.url}${path}`;
  return waitFor(
    async () => {
      if (exited) throw new Error(`${running.name} exited: ${running.logs.slice(-5).join('\n')}`);
      const answer = await fetch(probe).catch(() => undefined);
      return answer?.status === 200 ? answer : undefined;
    },
    { description: `${probe} to answer 200`, timeoutMs: 30_000 },
  );
}
