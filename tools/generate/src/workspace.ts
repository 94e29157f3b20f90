import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * The repository the generator writes into: every file it creates or changes goes through here,
 * so it can refuse to overwrite, format what it touched with the project's Prettier, say what it
 * did, and put everything back when a step fails half-way.
 */
export class Workspace {
  /** Each touched file's text before this run; null for a file this run created. */
  private readonly before = new Map<string, string | null>();
  /** The outermost folders this run created, removed whole on restore. */
  private readonly createdFolders: string[] = [];

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
    if (this.exists(file)) throw new Error(`${file} exists already`);
    this.write(file, text);
  }

  /** Rewrites an existing file through `change`. */
  edit(file: string, change: (text: string) => string): void {
    this.write(file, change(this.read(file)));
  }

  write(file: string, text: string): void {
    this.remember(file);
    this.makeFolder(dirname(this.path(file)));
    writeFileSync(this.path(file), text);
  }

  private remember(file: string): void {
    if (!this.before.has(file)) this.before.set(file, this.exists(file) ? this.read(file) : null);
  }

  private makeFolder(folder: string): void {
    let outermostMissing: string | undefined;
    for (let dir = folder; !existsSync(dir); dir = dirname(dir)) outermostMissing = dir;
    if (!outermostMissing) return;
    mkdirSync(folder, { recursive: true });
    this.createdFolders.push(outermostMissing);
  }

  /**
   * Runs `steps`; when one throws, puts back what the earlier ones wrote and rethrows, so a
   * generator that stops half-way leaves the repository as it found it.
   */
  async allOrNothing<T>(steps: () => Promise<T>): Promise<T> {
    try {
      return await steps();
    } catch (error) {
      this.restore();
      throw error;
    }
  }

  /** Puts every touched file back as it was before this run and removes the folders it made. */
  private restore(): void {
    for (const [file, text] of this.before) {
      if (text === null) rmSync(this.path(file), { force: true });
      else writeFileSync(this.path(file), text);
    }
    for (const folder of this.createdFolders.reverse()) {
      rmSync(folder, { recursive: true, force: true });
    }
    this.before.clear();
    this.createdFolders.length = 0;
  }

  /** Files below `folder` (relative to the root) whose names end with `suffix`. */
  find(folder: string, suffix: string): string[] {
    if (!this.exists(folder)) return [];
    return readdirSync(this.path(folder), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith(suffix))
      .map((file) => join(folder, file))
      .sort();
  }

  /**
   * Runs a command of the project's toolchain (node_modules/.bin) in the repository; `rewrites`
   * names an existing file it rewrites, to be restored with the rest.
   */
  run(command: string, args: string[], rewrites?: string): void {
    if (rewrites) this.remember(rewrites);
    execFileSync(join(this.root, 'node_modules', '.bin', command), args, {
      cwd: this.root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }

  /** Formats every touched file Prettier knows (migrations' SQL stays as drizzle-kit wrote it). */
  async format(): Promise<void> {
    // Loaded here, not at the top: Prettier's module needs dynamic import(), which Jest's module
    // runtime refuses, and the specs of this class never format.
    const prettier = await import('prettier');
    for (const file of this.before.keys()) {
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
    return [...this.before.keys()].map((file) => relative(this.root, this.path(file))).sort();
  }
}
