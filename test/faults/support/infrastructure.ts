import { databaseAnswers, testSettings, waitFor } from '@app/testing';
import { execSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { connect } from 'amqplib';

/**
 * Stops and starts the real broker and database, and raises and clears a memory alarm on the
 * broker. The defaults drive a local RabbitMQ and a Debian PostgreSQL cluster (as root, as CI
 * runs); set the FAULT_* variables to drive others, e.g.
 * FAULT_BROKER_STOP="docker compose exec rabbitmq rabbitmqctl stop_app".
 */
const commands = {
  brokerStop: process.env.FAULT_BROKER_STOP ?? 'rabbitmqctl -q stop_app',
  brokerStart: process.env.FAULT_BROKER_START ?? 'rabbitmqctl -q start_app',
  // A high watermark of 0.01 % of the machine's memory: far below what any node uses.
  brokerAlarmRaise:
    process.env.FAULT_BROKER_ALARM_RAISE ?? 'rabbitmqctl -q set_vm_memory_high_watermark 0.0001',
  brokerAlarmClear: process.env.FAULT_BROKER_ALARM_CLEAR,
  databaseStop: process.env.FAULT_DATABASE_STOP ?? `${pgCluster()} stop -m fast`,
  databaseStart: process.env.FAULT_DATABASE_START ?? `${pgCluster()} start`,
};

function pgCluster(): string {
  const version = readdirSync('/etc/postgresql').sort().at(-1) ?? '15';
  return `pg_ctlcluster --skip-systemctl-redirect ${version} main`;
}

function run(command: string): string {
  return execSync(command, { stdio: 'pipe', timeout: 60_000 }).toString().trim();
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

/** The local broker's memory high watermark as it is, to set it back (`0.4`, `{absolute,N}`). */
function watermarkNow(): string {
  const value = run(`rabbitmqctl -q eval 'vm_memory_monitor:get_vm_memory_high_watermark().'`);
  const absolute = /^\{absolute,(\d+)\}$/.exec(value);
  return absolute ? `absolute ${absolute[1]}` : value;
}

/** What sets the watermark back once `brokerPublishing.stop` has taken it away. */
let clearAlarm: string | undefined;

/**
 * The broker's publishing, as a memory alarm takes it away: RabbitMQ blocks every connection
 * that publishes until the alarm clears. `stop` raises it, `start` clears it.
 */
export const brokerPublishing = {
  stop(): void {
    clearAlarm =
      commands.brokerAlarmClear ?? `rabbitmqctl -q set_vm_memory_high_watermark ${watermarkNow()}`;
    run(commands.brokerAlarmRaise);
  },
  start(): Promise<void> {
    if (clearAlarm !== undefined) run(clearAlarm);
    return Promise.resolve();
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
