import { databaseAnswers, testSettings, waitFor } from '@app/testing';
import { execSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { connect } from 'amqplib';

/**
 * Stops and starts the real broker and database. The defaults drive a local RabbitMQ and a
 * Debian PostgreSQL cluster (as root, as CI runs); set the FAULT_* variables to drive others,
 * e.g. FAULT_BROKER_STOP="docker compose exec rabbitmq rabbitmqctl stop_app".
 */
const commands = {
  brokerStop: process.env.FAULT_BROKER_STOP ?? 'rabbitmqctl -q stop_app',
  brokerStart: process.env.FAULT_BROKER_START ?? 'rabbitmqctl -q start_app',
  databaseStop: process.env.FAULT_DATABASE_STOP ?? `${pgCluster()} stop -m fast`,
  databaseStart: process.env.FAULT_DATABASE_START ?? `${pgCluster()} start`,
};

function pgCluster(): string {
  const version = readdirSync('/etc/postgresql').sort().at(-1) ?? '15';
  return `pg_ctlcluster --skip-systemctl-redirect ${version} main`;
}

function run(command: string): void {
  execSync(command, { stdio: 'pipe', timeout: 60_000 });
}

async function brokerAnswers(): Promise<boolean> {
  const connection = await connect(testSettings.rabbitmqUrl).catch(() => undefined);
  await connection?.close();
  return connection !== undefined;
}

export const broker = {
  stop: () => run(commands.brokerStop),
  async start(): Promise<void> {
    run(commands.brokerStart);
    await waitFor(brokerAnswers, {
      description: 'RabbitMQ to accept connections',
      timeoutMs: 60_000,
    });
  },
};

export const database = {
  stop: () => run(commands.databaseStop),
  async start(): Promise<void> {
    run(commands.databaseStart);
    await waitFor(() => databaseAnswers(testSettings.databaseUrl), {
      description: 'PostgreSQL to accept connections',
      timeoutMs: 60_000,
    });
  },
};

/** Runs `fault`, and always brings `what` back, so a failing test cannot leave it down. */
export async function whileDown<T>(
  what: { stop(): void; start(): Promise<void> },
  fault: () => Promise<T>,
): Promise<T> {
  what.stop();
  try {
    return await fault();
  } finally {
    await what.start();
  }
}
