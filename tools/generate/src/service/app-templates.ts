import type { ServiceNames } from './service-names';

/**
 * The files of a new app, shaped like the existing ones: boot, module (platform, messaging,
 * outbox and inbox, periodic jobs, health), validated config and its test, topology, tables and
 * drizzle-kit's configuration. Keyed by path relative to the repository.
 */
export function appFiles(n: ServiceNames): Record<string, string> {
  const app = `apps/${n.name}`;
  return {
    [`${app}/tsconfig.app.json`]: `{
  "extends": "../../tsconfig.build.json",
  "compilerOptions": { "outDir": "../../dist/apps/${n.name}" },
  "include": ["src/**/*", "../../libs/**/src/**/*"],
  "exclude": ["node_modules", "dist", "**/*.spec.ts", "../../libs/**/*.spec.ts", "**/*.fixture.ts", "../../libs/**/*.fixture.ts", "../../libs/*/test", "../../libs/testing"]
}
`,
    [`${app}/drizzle.config.ts`]: `import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './${app}/src/db/${n.name}.tables.ts',
  out: './${app}/src/db/migrations',
  schemaFilter: ['${n.schema}'],
});
`,
    [`${app}/src/main.ts`]: `import { runService } from '@app/platform';
import { ${n.definition} } from '@app/services';
import { ${n.pascal}Module } from './${n.name}.module';

void runService(${n.pascal}Module, ${n.definition}.name);
`,
    [`${app}/src/${n.name}.module.ts`]: moduleFile(n),
    [`${app}/src/${n.name}.config.ts`]: `import { baseConfigSchema, configValidator } from '@app/platform';
import { ${n.definition} } from '@app/services';
import type { z } from 'zod';

/** The settings every service reads; add this service's own with \`.extend({ … })\`. */
export const ${n.camel}ConfigSchema = baseConfigSchema({
  port: ${n.definition}.port,
  serviceName: ${n.definition}.name,
});
export type ${n.pascal}Config = z.output<typeof ${n.camel}ConfigSchema>;
export const validate${n.pascal}Config = configValidator(${n.camel}ConfigSchema);
`,
    [`${app}/src/${n.name}.config.spec.ts`]: configSpec(n),
    [`${app}/src/${n.name}.topology.ts`]: `import { withFailurePolicies } from '@app/messaging';
import { ${n.definition} } from '@app/services';

/**
 * What the ${n.name} service consumes (its queues, in its definition in @app/services) and how its
 * errors fail a message: name the domain errors that can never succeed in \`permanent\`, those
 * that mean a dependency is down for now in \`defer\`. Handlers point here; bindings follow from them.
 */
export const ${n.camel}Topology = withFailurePolicies(${n.definition}.topology, {});
`,
    [`${app}/src/db/${n.name}.tables.ts`]: `import { inboxTable } from '@app/inbox';
import { outboxTable } from '@app/outbox';
import { jobRunsTable } from '@app/scheduling';
import { ${n.definition} } from '@app/services';
import { pgSchema } from 'drizzle-orm/pg-core';

export const ${n.schemaConstant} = ${n.definition}.database.schema;
export const ${n.camel}Schema = pgSchema(${n.schemaConstant});

// The service's own tables go here (\`${n.camel}Schema.table(…)\`), named in its definition's
// database.tables; then \`npx drizzle-kit generate --config ${app}/drizzle.config.ts --name <change>\`.

export const outbox = outboxTable(${n.camel}Schema);
export const inbox = inboxTable(${n.camel}Schema);
export const jobRuns = jobRunsTable(${n.camel}Schema);
`,
  };
}

function moduleFile(n: ServiceNames): string {
  return `import { HealthModule } from '@app/health';
import { InboxModule } from '@app/inbox';
import { MessagingModule } from '@app/messaging';
import { OutboxModule } from '@app/outbox';
import { PlatformModule, serviceConfigModule } from '@app/platform';
import { SchedulingModule } from '@app/scheduling';
import { databasePoolSize, ${n.definition}, publishedTypes } from '@app/services';
import { Module, type Type } from '@nestjs/common';
import { join } from 'node:path';
import { inbox, jobRuns, outbox, ${n.schemaConstant} } from './db/${n.name}.tables';
import { validate${n.pascal}Config } from './${n.name}.config';
import { ${n.camel}Topology } from './${n.name}.topology';

/** HTTP controllers. */
const controllers: Type[] = [];
/** Message handlers: one controller per consumed queue, one method per message type. */
const handlers: Type[] = [];
const services: Type[] = [];

@Module({
  imports: [
    serviceConfigModule(validate${n.pascal}Config),
    PlatformModule.forRoot({
      service: ${n.definition}.name,
      database: {
        schema: ${n.schemaConstant},
        migrationsFolder: join(__dirname, 'db', 'migrations'),
        poolSize: databasePoolSize(${n.definition}),
      },
    }),
    MessagingModule.forRoot({
      service: ${n.definition}.name,
      topology: ${n.camel}Topology,
      publishes: publishedTypes(${n.definition}),
    }),
    OutboxModule.forRoot({ schema: ${n.schemaConstant}, table: outbox }),
    InboxModule.forRoot({ table: inbox }),
    SchedulingModule.forRoot({ table: jobRuns }),
    HealthModule,
  ],
  controllers: [...controllers, ...handlers],
  providers: [...services],
})
export class ${n.pascal}Module {}
`;
}

function configSpec(n: ServiceNames): string {
  return `import { ConfigValidationError } from '@app/platform';
import { validate${n.pascal}Config } from './${n.name}.config';

describe('${n.name} config', () => {
  it('defaults to port ${n.port} and names its traces ${n.name}', () => {
    expect(validate${n.pascal}Config({})).toMatchObject({ PORT: ${n.port}, OTEL_SERVICE_NAME: '${n.name}' });
  });

  it('stops on a bad PORT with a message naming the variable', () => {
    expect(() => validate${n.pascal}Config({ PORT: '70000' })).toThrow(ConfigValidationError);
    expect(() => validate${n.pascal}Config({ PORT: '70000' })).toThrow(/PORT/);
  });
});
`;
}
