import { repositoryRoot } from '@app/testing';
import { randomBytes } from 'node:crypto';
import { Workspace } from '../workspace';
import { appFiles } from './app-templates';
import { serviceDefinition } from './deployment-templates';
import { assertFreeServiceName, assertNothingShadowed } from './free-name';
import { serviceNames } from './service-names';

// Read only: these checks look at the repository and never write to it.
const repository = new Workspace(repositoryRoot());

describe('a new service name', () => {
  it.each([
    ['payment', 'apps/payment exists already'],
    ['platform', 'libs/platform exists already'],
    ['dlq', 'tools/dlq exists already'],
    ['bench', 'nest-cli.json has a project named bench already'],
    ['dev', 'package.json has a start:dev script already'],
    ['grafana', 'docker-compose.yml has a service named grafana already'],
    ['orders', 'orders would own the PostgreSQL schema "orders", which order owns'],
    ['public', 'schema "public", which PostgreSQL keeps for itself'],
    ['pg-stats', 'schema "pg_stats", which PostgreSQL keeps for itself'],
    ['guest', 'guest is the broker administrator'],
    ['amq', 'RabbitMQ keeps queue names starting amq. for itself'],
    ['jaeger-ui', 'docker-compose.yml publishes a port with JAEGER_UI_HOST_PORT already'],
    ['a'.repeat(41), `${'a'.repeat(41)} is 41 characters, above 40`],
  ])('refuses %s, which the repository uses already', (name, reason) => {
    expect(() => assertFreeServiceName(repository, name)).toThrow(reason);
  });

  it('takes a name nothing else goes by, digits included', () => {
    // Not a name the docs suggest (shipping): a user who generated it runs this spec too.
    const unused = `probe${randomBytes(6).toString('hex')}-s3`;
    expect(() => assertFreeServiceName(repository, unused)).not.toThrow();
  });

  it.each([
    ['health', 'apps/health/src/health.module.ts would declare HealthModule, which it imports too'],
    ['define', 'define.service-definition.ts would declare defineService, which it imports too'],
  ])('refuses %s, whose generated files would shadow what they import', (name, reason) => {
    const n = serviceNames(name, 3003);
    const files = { ...appFiles(n), [`${name}.service-definition.ts`]: serviceDefinition(n) };
    expect(() => assertNothingShadowed(files)).toThrow(reason);
  });
});
