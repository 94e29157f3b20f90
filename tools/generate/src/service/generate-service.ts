import { assertKebab } from '../names';
import {
  appendToLiteral,
  continueCommand,
  ensureImport,
  insertAfterLast,
  insertBefore,
  replaceFirst,
} from '../source-edits';
import type { Workspace } from '../workspace';
import { appFiles } from './app-templates';
import {
  composeService,
  devBrokerUrlPatch,
  k8sManifest,
  prometheusJob,
  serviceDefinition,
} from './deployment-templates';
import { assertFreeServiceName, assertNothingShadowed } from './free-name';
import { type ServiceNames, serviceNames } from './service-names';
import { wireScripts } from './wire-scripts';

const SERVICES = 'libs/services/src';

/** The next free default HTTP port after the registered services'. */
function nextPort(workspace: Workspace): number {
  const ports = workspace
    .find(SERVICES, '.service-definition.ts')
    .flatMap((file) => [...workspace.read(file).matchAll(/^\s*port: (\d+),/gm)])
    .map((match) => Number(match[1]));
  return Math.max(2999, ...ports) + 1;
}

/**
 * `generate service <name>`: a new app wired like the others, registered in the service
 * registry, and everywhere the registry's checks look for it (build, compose, Kubernetes,
 * Prometheus, the deployment specs' config list, the README). Its first migration is drizzle-kit's.
 */
export function generateService(workspace: Workspace, name: string): ServiceNames {
  assertKebab(name, 'Service name');
  assertFreeServiceName(workspace, name);
  const n = serviceNames(name, nextPort(workspace));
  const files = appFiles(n);
  assertNothingShadowed({ ...files, [definitionFile(n)]: serviceDefinition(n) });

  register(workspace, n);
  for (const [file, text] of Object.entries(files)) workspace.create(file, text);
  wireScripts(workspace, n);
  wireDeployment(workspace, n);
  firstMigration(workspace, n);
  return n;
}

const definitionFile = (n: ServiceNames): string => `${SERVICES}/${n.name}.service-definition.ts`;

function register(workspace: Workspace, n: ServiceNames): void {
  workspace.create(definitionFile(n), serviceDefinition(n));
  workspace.edit(`${SERVICES}/index.ts`, (text) =>
    [...text.trim().split('\n'), `export * from './${n.name}.service-definition';`]
      .sort()
      .join('\n')
      .concat('\n'),
  );
  const registry = `${SERVICES}/service-registry.ts`;
  workspace.edit(registry, (text) =>
    appendToLiteral(
      ensureImport(text, `./${n.name}.service-definition`, n.definition, registry),
      'export const SERVICES',
      n.definition,
      registry,
    ),
  );
}

function wireDeployment(workspace: Workspace, n: ServiceNames): void {
  const compose = 'docker-compose.yml';
  workspace.edit(compose, (text) => {
    let out = insertBefore(text, /^ {2}# --- Observability/, composeService(n), compose);
    out = insertAfterLast(
      out,
      /^ {6}[A-Z_]+_RABBITMQ_PASSWORD: .*$/,
      `      ${n.passwordVariable}: \${${n.passwordVariable}:-${n.name}-dev-only-password}\n`,
      compose,
    );
    // Consumers start before order publishes its first event, so their queues exist by then.
    return replaceFirst(
      out,
      /^( {6}notification:\n {8}condition: service_healthy\n)/m,
      `$1      ${n.name}:\n        condition: service_healthy\n`,
      "order's depends_on entry `notification: condition: service_healthy`",
      compose,
    );
  });
  workspace.edit('.env.example', (text) => {
    const withPassword = insertAfterLast(
      text,
      /^[A-Z_]+_RABBITMQ_PASSWORD=.*$/,
      `${n.passwordVariable}=${n.name}-dev-only-password\n`,
      '.env.example',
    );
    // Beside the other services' host ports, before the observability tools' ones.
    return insertBefore(
      withPassword,
      /^# Observability/,
      `${n.hostPortVariable}=${n.port}\n`,
      '.env.example',
    );
  });
  workspace.edit('deploy/prometheus/prometheus.yml', (text) => text + prometheusJob(n));
  wireKubernetes(workspace, n);
  workspace.edit('README.md', (text) =>
    insertAfterLast(
      text,
      /^\| `?(order|payment|notification|[a-z0-9-]+)`? +\| +\d{4} +\|.*$/,
      `| \`${n.name}\` | ${n.port} | \`${n.schema}\` | generated: say what it does |\n`,
      'README.md',
    ),
  );
}

/** The dev overlay's credentials; other installations create theirs (deploy/k8s/README.md). */
const DEV_SECRETS = 'deploy/k8s/overlays/dev/secrets.yaml';
/** The dev overlay: one node of everything. */
const DEV_OVERLAY = 'deploy/k8s/overlays/dev/kustomization.yaml';

function wireKubernetes(workspace: Workspace, n: ServiceNames): void {
  workspace.create(`deploy/k8s/base/${n.name}.yaml`, k8sManifest(n));
  const base = 'deploy/k8s/base';
  workspace.edit(`${base}/kustomization.yaml`, (text) =>
    insertBefore(text, /^ {2}- autoscaling\.yaml$/, `  - ${n.name}.yaml\n`, 'kustomization.yaml'),
  );
  workspace.edit(DEV_OVERLAY, (text) =>
    insertAfterLast(
      text,
      /^ {8}value: 'amqp:\/\/[a-z0-9-]+:\$\(RABBITMQ_PASSWORD\)@rabbitmq-server-0\.rabbitmq-nodes:5672'$/,
      devBrokerUrlPatch(n),
      'kustomization.yaml',
    ),
  );
  workspace.edit(DEV_SECRETS, (text) =>
    insertAfterLast(
      text,
      /^ {2}[a-z0-9-]+: [a-z0-9-]+-dev-only-password$/,
      `  ${n.name}: ${n.name}-dev-only-password\n`,
      'secrets.yaml',
    ),
  );
  // The command that creates the services' broker passwords outside the dev overlay.
  workspace.edit('deploy/k8s/README.md', (text) =>
    continueCommand(
      text,
      /^ {2}--from-literal=[a-z0-9-]+="\$\(openssl rand -hex 24\)"$/,
      `  --from-literal=${n.name}="$(openssl rand -hex 24)"`,
      'deploy/k8s/README.md',
    ),
  );
  workspace.edit(`${base}/broker-setup.yaml`, (text) =>
    insertAfterLast(
      text,
      /^ {14}valueFrom: \{ secretKeyRef: \{ name: rabbitmq-service-users, key: [a-z0-9-]+ \} \}$/,
      `            - name: ${n.passwordVariable}\n              valueFrom: { secretKeyRef: { name: rabbitmq-service-users, key: ${n.name} } }\n`,
      'broker-setup.yaml',
    ),
  );
}

/**
 * drizzle-kit writes the first migration from the tables file; every CREATE gets IF NOT EXISTS,
 * as the others' first migrations have for their schema: the migration journal lives in the
 * service's schema, so a database where the schema or tables already exist must not stop boot.
 */
function firstMigration(workspace: Workspace, n: ServiceNames): void {
  workspace.run('drizzle-kit', [
    'generate',
    '--config',
    `apps/${n.name}/drizzle.config.ts`,
    '--name',
    'init',
  ]);
  const folder = `apps/${n.name}/src/db/migrations`;
  for (const file of workspace.find(folder, '.sql')) {
    workspace.edit(file, (sql) =>
      sql
        .replace(/CREATE SCHEMA "/g, 'CREATE SCHEMA IF NOT EXISTS "')
        .replace(/CREATE TABLE "/g, 'CREATE TABLE IF NOT EXISTS "')
        .replace(/CREATE (UNIQUE )?INDEX "/g, 'CREATE $1INDEX IF NOT EXISTS "'),
    );
  }
}
