import { oneErrorLine } from '@app/platform';
import { SERVICES } from '@app/services';
import { Command, CommanderError } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASYNCAPI_FILE, asyncApiYaml } from './asyncapi/asyncapi-yaml';
import { BrokerManagement, TopologyCheckError } from './check/broker-management';
import { driftReport, inStepLine } from './check/drift-report';
import { topologyDrift } from './check/topology-drift';
import { declaredTopology } from './declared/declared-topology';
import {
  DEFAULT_TOPOLOGY_SETTINGS,
  loadTopologyConfig,
  type TopologyConfig,
  topologySettings,
} from './topology.config';

export interface ProgramIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** The repository's root: where docs/ and package.json are. */
  root: string;
  config: () => TopologyConfig;
}

const stdio: ProgramIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  // npm runs scripts from the package's root.
  root: process.cwd(),
  config: loadTopologyConfig,
};

/** Writes docs/asyncapi.yaml for the services' default settings. */
async function writeAsyncApi(io: ProgramIo): Promise<number> {
  const { version } = JSON.parse(readFileSync(join(io.root, 'package.json'), 'utf8')) as {
    version: string;
  };
  writeFileSync(
    join(io.root, ASYNCAPI_FILE),
    await asyncApiYaml(DEFAULT_TOPOLOGY_SETTINGS, version),
  );
  io.out(`Wrote ${ASYNCAPI_FILE}\n`);
  return 0;
}

/** Compares the declared topology with the broker's: 0 and one line in step, 1 and a report not. */
async function checkTopology(io: ProgramIo): Promise<number> {
  const config = io.config();
  const management = new BrokerManagement(config);
  const declared = await declaredTopology(SERVICES, topologySettings(config));
  const live = await management.topology();
  const drift = topologyDrift(declared, live);
  if (drift.length === 0) {
    io.out(`${inStepLine(declared, live.vhost)}\n`);
    return 0;
  }
  io.out(`${driftReport(drift, live.vhost)}\n`);
  return 1;
}

function buildProgram(io: ProgramIo, done: (code: number) => void): Command {
  const program = new Command('topology')
    .description('The declared topology of the registered services, as a document or checked.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  program
    .command('asyncapi')
    .description(`write ${ASYNCAPI_FILE}, the AsyncAPI 3.0 document of the services`)
    .action(async () => done(await writeAsyncApi(io)));
  program
    .command('check')
    .description(
      'compare the declared topology with the broker of RABBITMQ_URL (management API: RABBITMQ_MANAGEMENT_URL); run with the services’ RETRY_DELAYS_MS, QUORUM_INITIAL_GROUP_SIZE, QUEUE_MAX_LENGTH and EVENT_LOG_MAX_AGE',
    )
    .action(async () => done(await checkTopology(io)));
  return program;
}

/** Runs the CLI and returns its exit code; an error is one line on stderr and exit code 2. */
export async function runTopology(argv: string[], io: ProgramIo = stdio): Promise<number> {
  let code = 0;
  try {
    await buildProgram(io, (result) => (code = result)).parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const message = error instanceof TopologyCheckError ? error.message : oneErrorLine(error);
    io.err(`error: ${message}\n`);
    return 2;
  }
}
