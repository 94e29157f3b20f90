import { readText } from './repo-files';

/**
 * The Node.js versions named in several places (.nvmrc, package.json, .ci/run), which Renovate
 * moves one file at a time: they must keep agreeing. The Dockerfile's base image is checked
 * against .nvmrc in dockerfile.e2e-spec.ts.
 */

const manifest = JSON.parse(readText('package.json')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};
const runtime = readText('.nvmrc').trim();
const compatibility = /^COMPAT_NODE_VERSION=(\S+)$/m.exec(readText('.ci/run'))?.[1] ?? '';

const major = (version: string) => Number(version.split('.')[0]);
const minor = (version: string) => Number(version.split('.')[1]);

describe('the Node.js versions', () => {
  it('run on the Node.js 26 release .nvmrc pins, with the type definitions of that line', () => {
    expect(runtime).toMatch(/^26\.\d+\.\d+$/);
    expect(major(manifest.devDependencies['@types/node'])).toBe(major(runtime));
  });

  it('admit the Maintenance LTS from 24.11 and nothing older', () => {
    expect(manifest.engines.node).toBe('>=24.11');
  });

  it("check compatibility on a 24 release that engines admits, below the runtime's line", () => {
    expect(compatibility).toMatch(/^24\.\d+\.\d+$/);
    expect(minor(compatibility)).toBeGreaterThanOrEqual(11);
    expect(major(compatibility)).toBeLessThan(major(runtime));
  });
});
