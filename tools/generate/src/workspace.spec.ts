import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace } from './workspace';

describe('Workspace.allOrNothing', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'workspace-'));
    mkdirSync(join(root, 'apps'));
    writeFileSync(join(root, 'apps/index.ts'), 'original\n');
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('puts back what earlier steps wrote when a later one fails, and rethrows', async () => {
    const workspace = new Workspace(root);
    const failing = workspace.allOrNothing(() => {
      workspace.edit('apps/index.ts', (text) => `${text}edited\n`);
      workspace.create('apps/shipping/src/main.ts', 'new\n');
      workspace.create('apps/new-file.ts', 'new\n');
      workspace.create('apps/index.ts', 'would overwrite\n');
      return Promise.resolve();
    });

    await expect(failing).rejects.toThrow('apps/index.ts exists already');
    expect(readFileSync(join(root, 'apps/index.ts'), 'utf8')).toBe('original\n');
    expect(existsSync(join(root, 'apps/shipping'))).toBe(false);
    expect(existsSync(join(root, 'apps/new-file.ts'))).toBe(false);
    expect(existsSync(join(root, 'apps'))).toBe(true);
  });

  it('puts back a file a command of the toolchain rewrote', async () => {
    const workspace = new Workspace(root);
    mkdirSync(join(root, 'node_modules/.bin'), { recursive: true });
    const rewriteThenFail = '#!/bin/sh\necho rewritten > apps/index.ts\nexit 1\n';
    writeFileSync(join(root, 'node_modules/.bin/rewrite'), rewriteThenFail, { mode: 0o755 });
    const failing = workspace.allOrNothing(() => {
      workspace.run('rewrite', [], 'apps/index.ts');
      return Promise.resolve();
    });
    await expect(failing).rejects.toThrow(/Command failed/);
    expect(readFileSync(join(root, 'apps/index.ts'), 'utf8')).toBe('original\n');
  });

  it('keeps everything when every step succeeds', async () => {
    const workspace = new Workspace(root);
    await workspace.allOrNothing(() => {
      workspace.edit('apps/index.ts', (text) => `${text}edited\n`);
      workspace.create('apps/shipping/src/main.ts', 'new\n');
      return Promise.resolve();
    });
    expect(readFileSync(join(root, 'apps/index.ts'), 'utf8')).toBe('original\nedited\n');
    expect(workspace.changes()).toEqual(['apps/index.ts', 'apps/shipping/src/main.ts']);
  });
});
