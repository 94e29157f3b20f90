import { type ChildProcess, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './compose';

/** Files of the repository the deployment specs read, and the processes they start from it. */

/** The absolute path of a file, by its path from the repository's root. */
export const repoPath = (path: string): string => join(ROOT, path);

/** A file's text, by its path from the repository's root. */
export const readText = (path: string): string => readFileSync(repoPath(path), 'utf8');

export const packageJson = JSON.parse(readText('package.json')) as {
  scripts: Record<string, string>;
};

/** Resolves with the child's exit code (128 when a signal ended it). */
export function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : -1)));
  });
}

/**
 * Runs a tool the specs need from the repository's root and returns its output. A tool that is
 * not installed fails with `needed` (what needs it, and where to get it); one that fails, with
 * what it printed.
 */
export function runTool(
  command: string,
  args: string[],
  { needed, input }: { needed: string; input?: string },
): string {
  try {
    return execFileSync(command, args, { cwd: ROOT, input, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const { stdout, stderr, code } = error as { stdout?: string; stderr?: string; code?: string };
    if (code === 'ENOENT') {
      throw new Error(`${command} is not installed: ${needed}`, { cause: error });
    }
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`, {
      cause: error,
    });
  }
}
