import { parse } from 'yaml';
import { schemaOf } from '../names';
import type { Workspace } from '../workspace';
import { hostPortVariable } from './service-names';

/** Schemas PostgreSQL keeps for itself: `public`, `information_schema` and every `pg_…`. */
const isPostgresSchema = (schema: string): boolean =>
  schema === 'public' || schema === 'information_schema' || schema.startsWith('pg_');

/** The schema each registered service owns, by the service's name. */
function schemaOwners(workspace: Workspace): Map<string, string> {
  const owners = new Map<string, string>();
  for (const file of workspace.find('libs/services/src', '.service-definition.ts')) {
    const schema = /\bschema: '([^']+)'/.exec(workspace.read(file))?.[1];
    const service = file.replace(/^.*\//, '').replace('.service-definition.ts', '');
    if (schema) owners.set(schema, service);
  }
  return owners;
}

const keysOf = (workspace: Workspace, file: string, field: string): string[] =>
  Object.keys((JSON.parse(workspace.read(file)) as Record<string, object>)[field] ?? {});

function composeServices(workspace: Workspace): string[] {
  const compose = parse(workspace.read('docker-compose.yml')) as { services?: object } | null;
  return Object.keys(compose?.services ?? {});
}

/**
 * Kubernetes names and PostgreSQL identifiers stop at 63 characters, and the generator derives
 * longer ones from the service's name (`<name>-dev-only-password`, `<name>.order-events.dlq`).
 */
export const MAX_SERVICE_NAME_LENGTH = 40;

/**
 * Refuses a name the stack's other parts would clash with: the broker's administrator (the
 * service's user would be it), RabbitMQ's reserved `amq.` queue prefix, a host port variable
 * another container publishes with, a name too long for what is derived from it.
 */
function assertFitsTheStack(workspace: Workspace, name: string): void {
  if (name.length > MAX_SERVICE_NAME_LENGTH) {
    throw new Error(`${name} is ${name.length} characters, above ${MAX_SERVICE_NAME_LENGTH}`);
  }
  if (name === 'guest') {
    throw new Error('guest is the broker administrator broker-setup connects as in compose');
  }
  if (name === 'amq') throw new Error('RabbitMQ keeps queue names starting amq. for itself');
  const hostPort = hostPortVariable(name);
  if (workspace.read('docker-compose.yml').includes(`\${${hostPort}:-`)) {
    throw new Error(`docker-compose.yml publishes a port with ${hostPort} already`);
  }
}

/**
 * Refuses a service name something of the repository goes by already, before anything is
 * written: an app, library or tool (their Nest project, module class and build output would
 * clash), another Nest project (bench), a `start:<name>` script (`start:dev`), a service of the
 * compose file (rabbitmq, grafana, …), or a PostgreSQL schema that another service or
 * PostgreSQL itself owns (`orders` is order's); then what the rest of the stack would clash with.
 */
export function assertFreeServiceName(workspace: Workspace, name: string): void {
  for (const folder of ['apps', 'libs', 'tools']) {
    if (workspace.exists(`${folder}/${name}`)) throw new Error(`${folder}/${name} exists already`);
  }
  if (keysOf(workspace, 'nest-cli.json', 'projects').includes(name)) {
    throw new Error(`nest-cli.json has a project named ${name} already`);
  }
  if (keysOf(workspace, 'package.json', 'scripts').includes(`start:${name}`)) {
    throw new Error(`package.json has a start:${name} script already`);
  }
  if (composeServices(workspace).includes(name)) {
    throw new Error(`docker-compose.yml has a service named ${name} already`);
  }
  const schema = schemaOf(name);
  const owner = schemaOwners(workspace).get(schema);
  if (owner) {
    throw new Error(`${name} would own the PostgreSQL schema "${schema}", which ${owner} owns`);
  }
  if (isPostgresSchema(schema)) {
    throw new Error(
      `${name} would own the PostgreSQL schema "${schema}", which PostgreSQL keeps for itself`,
    );
  }
  assertFitsTheStack(workspace, name);
}

const importedNames = (text: string): string[] =>
  [...text.matchAll(/^import (?:type )?\{([^}]+)\}/gm)].flatMap((match) =>
    match[1].split(',').map((name) => name.trim().replace(/^type /, '')),
  );

/**
 * Refuses a name whose generated files would declare what they also import: `health` would give
 * a HealthModule beside @app/health's, `define` a defineService beside the registry's.
 */
export function assertNothingShadowed(files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    const imported = new Set(importedNames(text));
    const declared = [...text.matchAll(/^export (?:const|class|function|type|interface) (\w+)/gm)];
    const shadowed = declared.map((match) => match[1]).find((name) => imported.has(name));
    if (shadowed) {
      throw new Error(
        `${file} would declare ${shadowed}, which it imports too: choose another name`,
      );
    }
  }
}
