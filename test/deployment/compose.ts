import { readFileSync } from 'node:fs';
import { isAbsolute, join, posix, resolve } from 'node:path';
import { parse } from 'yaml';

/**
 * docker-compose.yml as the deployment specs read it: parsed (merge keys resolved), with compose's
 * variable interpolation, and the mounts and host ports of its services.
 */

export const ROOT = join(__dirname, '..', '..');

export interface ComposeService {
  image?: string;
  command?: string | string[];
  build?: { context?: string; dockerfile?: string; args?: Record<string, unknown> };
  environment?: Record<string, unknown> | string[];
  ports?: unknown[];
  volumes?: (string | { type?: string; source?: string; target?: string; read_only?: boolean })[];
  healthcheck?: { test?: string | string[] };
  depends_on?: Record<string, { condition?: string }> | string[];
  deploy?: { replicas?: number };
  container_name?: string;
  stop_grace_period?: string;
  restart?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');

export const compose = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as ComposeFile;

const VARIABLE = /\$\$|\$\{([A-Za-z_]\w*)(?:(:?-)([^}]*))?\}|\$([A-Za-z_]\w*)/g;

/**
 * Compose's interpolation, with `variables` as the shell environment and .env: `${VAR:-default}`
 * gives the default when VAR is unset or empty, `${VAR-default}` only when it is unset, `$$` a
 * literal `$`. A variable without a default that `variables` does not set would make the file
 * depend on the caller's shell, so it fails here.
 */
export function interpolate(value: string, variables: Record<string, string> = {}): string {
  return value.replace(
    VARIABLE,
    (match: string, name?: string, operator?: string, fallback?: string, bare?: string) => {
      if (match === '$$') return '$';
      const key = (name ?? bare) as string;
      const current = Object.hasOwn(variables, key) ? variables[key] : undefined;
      if (operator === ':-') return current ? current : (fallback ?? '');
      if (operator === '-') return current ?? fallback ?? '';
      if (current !== undefined) return current;
      throw new Error(`${key} in "${value}" has no default`);
    },
  );
}

/** Every variable the file reads, with or without a default. */
export function composeVariables(): string[] {
  const text = readFileSync(COMPOSE_FILE, 'utf8');
  const names = [...text.matchAll(VARIABLE)]
    .map((match) => match[1] ?? match[4])
    .filter((name): name is string => name !== undefined);
  return [...new Set(names)].sort();
}

export function service(name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** A service's environment as its process would see it, with `variables` set on the host. */
export function composeEnvironment(
  name: string,
  variables: Record<string, string> = {},
): Record<string, string> {
  const environment = service(name).environment ?? {};
  const entries = Array.isArray(environment)
    ? environment.map((entry) => {
        const separator = entry.indexOf('=');
        return separator < 0
          ? [entry, '']
          : [entry.slice(0, separator), entry.slice(separator + 1)];
      })
    : Object.entries(environment).map(([key, value]) => [
        key,
        // Compose turns numbers and booleans into their text; null means "from the host", here unset.
        typeof value === 'string' ? value : value == null ? '' : JSON.stringify(value),
      ]);
  return Object.fromEntries(entries.map(([key, value]) => [key, interpolate(value, variables)]));
}

export interface Mount {
  /** Absolute host path of a bind mount, or the name of a volume. */
  source: string;
  bind: boolean;
  target: string;
  readOnly: boolean;
}

/** The service's volumes, short (`./src:/target:ro`) or long syntax. */
export function mounts(name: string): Mount[] {
  return (service(name).volumes ?? []).map((volume) => {
    const { source, target, readOnly } =
      typeof volume === 'string'
        ? (() => {
            const [from, to, mode] = interpolate(volume).split(':');
            return { source: from, target: to, readOnly: (mode ?? '').split(',').includes('ro') };
          })()
        : {
            source: volume.source ?? '',
            target: volume.target ?? '',
            readOnly: volume.read_only ?? false,
          };
    const bind = source.startsWith('.') || isAbsolute(source);
    return { source: bind ? resolve(ROOT, source) : source, bind, target, readOnly };
  });
}

/** Where a path inside the service's container comes from on the host, through its bind mounts. */
export function hostPathOf(name: string, containerPath: string): string | undefined {
  const normalized = posix.normalize(containerPath);
  const mount = mounts(name)
    .filter(
      (candidate) =>
        candidate.bind &&
        (normalized === candidate.target || normalized.startsWith(`${candidate.target}/`)),
    )
    .sort((a, b) => b.target.length - a.target.length)[0];
  return mount && join(mount.source, normalized.slice(mount.target.length));
}

export interface PublishedPort {
  hostIp: string;
  hostPort: number;
  containerPort: number;
}

/** The service's published ports (short syntax, `ip:host:container`), with the defaults applied. */
export function publishedPorts(name: string): PublishedPort[] {
  return (service(name).ports ?? []).map((mapping) => {
    const parts = interpolate(String(mapping))
      .replace(/\/tcp$/, '')
      .split(':');
    if (parts.length !== 3)
      throw new Error(`${name}: publish "${String(mapping)}" as ip:host:port`);
    return { hostIp: parts[0], hostPort: Number(parts[1]), containerPort: Number(parts[2]) };
  });
}

/** The names of the services a service waits for. */
export function dependencies(name: string): string[] {
  const dependsOn = service(name).depends_on ?? [];
  return Array.isArray(dependsOn) ? dependsOn : Object.keys(dependsOn);
}
