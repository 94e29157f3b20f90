import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../compose';
import { repoPath, runTool } from '../repo-files';

/** A rendered Kubernetes object, loosely typed: the specs read the fields they check. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a manifest is free-form
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export const OVERLAYS = ['dev', 'prod'] as const;
export type Overlay = (typeof OVERLAYS)[number];

/** `kubectl kustomize deploy/k8s/overlays/<overlay>`: the YAML an apply would send. */
export function renderOverlay(overlay: Overlay, root = ROOT): string {
  return runTool('kubectl', ['kustomize', join(root, `deploy/k8s/overlays/${overlay}`)], {
    needed: 'the Kubernetes specs need it (kubectl 1.27+)',
  });
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
  const output = runTool(
    process.execPath,
    [repoPath('test/deployment/k8s/validate-manifests.mjs')],
    {
      needed: 'Node.js itself runs the validation',
      input: yaml,
    },
  );
  return output
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Validation);
}
