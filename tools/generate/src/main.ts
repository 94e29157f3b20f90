import { Command } from 'commander';
import { generateHandler } from './handler/generate-handler';
import { generateService } from './service/generate-service';
import { Workspace } from './workspace';

/**
 * npm run generate -- service <name> | handler <service> <event-type>
 * Writes into the repository it runs in (the current directory), then formats what it touched;
 * when any step fails, nothing it wrote stays.
 */
async function run(work: (workspace: Workspace) => string[]): Promise<void> {
  const workspace = new Workspace(process.cwd());
  const next = await workspace.allOrNothing(async () => {
    const steps = work(workspace);
    await workspace.format();
    // docs/asyncapi.yaml is generated from the registry and the handlers, and a test fails while
    // it is stale: the new service or handler goes into it now.
    if (workspace.exists('tools/topology/src/main.ts')) {
      workspace.run('tsx', ['tools/topology/src/main.ts', 'asyncapi'], 'docs/asyncapi.yaml');
    }
    return steps;
  });
  process.stdout.write(
    `${workspace
      .changes()
      .map((file) => `  ${file}`)
      .join('\n')}\n\nNext:\n`,
  );
  process.stdout.write(`${next.map((step) => `  ${step}`).join('\n')}\n`);
}

const program = new Command('generate').description(
  'Adds a service or a message handler, wired like the others',
);

program
  .command('service <name>')
  .description('a new app in apps/<name>, registered in libs/services and everywhere it runs')
  .action((name: string) =>
    run((workspace) => {
      const n = generateService(workspace, name);
      return [
        `npm run generate -- handler ${name} <event-type>   (e.g. order.paid)`,
        `npm run build && npm run start:${name}             (port ${n.port})`,
      ];
    }),
  );

program
  .command('handler <service> <event-type>')
  .description('a handler method for an event on the service, its contract, queue and spec')
  .action((service: string, type: string) =>
    run((workspace) => {
      const h = generateHandler(workspace, service, type);
      return [
        `write what ${service} does in ${h.serviceClass}.handle`,
        `npx jest apps/${service}/src   (the generated spec)`,
        `the producer of ${type} lists it in its definition's publishes.events`,
      ];
    }),
  );

program.parseAsync().catch((error: unknown) => {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`generate: ${reason}\nNothing was changed.\n`);
  process.exitCode = 1;
});
