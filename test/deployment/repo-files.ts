import { type ChildProcess } from 'node:child_process';
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
