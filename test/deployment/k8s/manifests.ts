import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../compose';
import { repoPath } from '../repo-files';

/** A rendered Kubernetes object, loosely typed: the specs read the fields they check. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a manifest is free-form
  spec?: any;
  data?: Record<string, string>;
}

export const OVERLAYS = ['dev', 'prod'] as const;
export type Overlay = (typeof OVERLAYS)[number];

function run(command: string, args: string[], input?: string): string {
  try {
    return execFileSync(command, args, { input, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const { stderr, code } = error as { stderr?: string; code?: string };
    if (code === 'ENOENT') {
      throw new Error(`${command} is not installed: the Kubernetes specs need it (kubectl 1.27+)`, {
        cause: error,
      });
    }
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr ?? String(error)}`, {
      cause: error,
    });
  }
}

/** `kubectl kustomize deploy/k8s/overlays/<overlay>`: the YAML an apply would send. */
export function renderOverlay(overlay: Overlay, root = ROOT): string {
  return run('kubectl', ['kustomize', join(root, `deploy/k8s/overlays/${overlay}`)]);
}

export function objectsOf(yaml: string): K8sObject[] {
  return parseAllDocuments(yaml)
    .map((document) => document.toJSON() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null);
}

export interface Validation {
  kind: string;
  name: string;
  errors: string[];
}

/** Every object checked against the Kubernetes and operator schemas (validate-manifests.mjs). */
export function validate(yaml: string): Validation[] {
  const output = run(
    process.execPath,
    [repoPath('test/deployment/k8s/validate-manifests.mjs')],
    yaml,
  );
  return output
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Validation);
}
