import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as prettier from 'prettier';

/**
 * The repository the generator writes into: every file it creates or changes goes through here,
 * so it can refuse to overwrite, format what it touched with the project's Prettier, and say
 * what it did.
 */
export class Workspace {
  private readonly touched = new Set<string>();

  constructor(readonly root: string) {}

  path(file: string): string {
    return join(this.root, file);
  }

  exists(file: string): boolean {
    return existsSync(this.path(file));
  }

  read(file: string): string {
    return readFileSync(this.path(file), 'utf8');
  }

  /** Writes a new file; an existing one is never overwritten. */
  create(file: string, text: string): void {
    if (this.exists(file)) throw new Error(`${file} exists already: nothing was overwritten`);
    this.write(file, text);
  }

  /** Rewrites an existing file through `change`. */
  edit(file: string, change: (text: string) => string): void {
    this.write(file, change(this.read(file)));
  }

  write(file: string, text: string): void {
    mkdirSync(dirname(this.path(file)), { recursive: true });
    writeFileSync(this.path(file), text);
    this.touched.add(file);
  }

  /** Files below `folder` (relative to the root) whose names end with `suffix`. */
  find(folder: string, suffix: string): string[] {
    if (!this.exists(folder)) return [];
    return readdirSync(this.path(folder), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith(suffix))
      .map((file) => join(folder, file))
      .sort();
  }

  /** Runs a command of the project's toolchain (node_modules/.bin) in the repository. */
  run(command: string, args: string[]): void {
    execFileSync(join(this.root, 'node_modules', '.bin', command), args, {
      cwd: this.root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }

  /** Formats every touched file Prettier knows (migrations' SQL stays as drizzle-kit wrote it). */
  async format(): Promise<void> {
    for (const file of this.touched) {
      const path = this.path(file);
      const info = await prettier.getFileInfo(path, {
        ignorePath: this.path('.prettierignore'),
      });
      if (info.ignored || !info.inferredParser) continue;
      const options = (await prettier.resolveConfig(path)) ?? {};
      const text = readFileSync(path, 'utf8');
      writeFileSync(path, await prettier.format(text, { ...options, filepath: path }));
    }
  }

  /** What was created or changed, relative to the root, for the summary. */
  changes(): string[] {
    return [...this.touched].map((file) => relative(this.root, this.path(file))).sort();
  }
}
