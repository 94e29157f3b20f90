import { oneErrorLine } from '@app/platform';
import { SERVICES } from '@app/services';
import { Command } from 'commander';
import { loadBrokerSetupConfig } from './broker-setup.config';
import { buildDefinitions } from './definitions';
import { ManagementApi } from './management-api';

/** Creates or updates the services' users and permissions through the management API. */
async function apply(): Promise<void> {
  const config = loadBrokerSetupConfig();
  const api = new ManagementApi(config.RABBITMQ_MANAGEMENT_URL);
  const definitions = buildDefinitions(config);
  await api.apply(config.RABBITMQ_VHOST, definitions);
  const users = definitions.users.map((user) => user.name).join(', ');
  process.stdout.write(
    `Applied users ${users} and their permissions on virtual host "${config.RABBITMQ_VHOST}" at ${api.location}\n`,
  );
}

/** The same definitions on stdout, for brokers that load definitions at boot. */
function print(): void {
  const definitions = buildDefinitions(loadBrokerSetupConfig());
  process.stdout.write(`${JSON.stringify(definitions, null, 2)}\n`);
}

/** One line on stderr and exit code 1, without a stack trace. */
function fail(error: unknown): void {
  process.stderr.write(`broker-setup: ${oneErrorLine(error)}\n`);
  process.exitCode = 1;
}

const program = new Command('broker-setup').description(
  `A RabbitMQ user per service, allowed only its own queues and the exchanges it uses. Passwords come from ${SERVICES.map(({ broker }) => broker.passwordVariable).join(', ')}; the broker gets their hashes only.`,
);
program
  .command('apply')
  .description('create or update the users and permissions through RABBITMQ_MANAGEMENT_URL')
  .action(apply);
program
  .command('print')
  .description('write the definitions JSON (password hashes, no passwords) to stdout')
  .action(print);

program.parseAsync(process.argv).catch(fail);
