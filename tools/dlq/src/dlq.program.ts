import { ManagementReader, virtualHostOf } from '@app/messaging';
import { printableLines } from '@app/correlation';
import { runProgram } from '@app/platform';
import { Command } from 'commander';
import { DlqBrowser } from './broker/dlq.browser';
import { addCommands, type Session } from './dlq.commands';
import { terminalOutput } from './dlq.output';
import { loadDlqConfig } from './dlq.config';
import { DEFAULT_TABLE_WIDTH } from './format/table.format';

export interface ProgramIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Columns available to tables. */
  width?: number;
}

const stdio: ProgramIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  // A wider terminal shows more of each error; pipes and files get the standard 120.
  width: process.stdout.isTTY ? Math.max(DEFAULT_TABLE_WIDTH, process.stdout.columns) : undefined,
};

const PROGRAM_HELP = `
<queue> is a consuming queue (payment.order-created) or its dead-letter queue
(payment.order-created.dlq). Messages are read without being taken: those a command does not
act on stay in the queue, in their places. While a command runs it holds what it has read, and
another dlq command on the same queue at that moment does not see those messages (--all passes
them over, --id says it found none): one operator at a time per queue.

Environment:
  RABBITMQ_URL             the broker, or a comma-separated list of the nodes of one cluster,
                           tried in order (default amqp://guest:guest@localhost:5672)
  RABBITMQ_MANAGEMENT_URL  the management API, for unacked
                           (default http://guest:guest@localhost:15672)

Examples:
  $ npm run dlq -- list
  $ npm run dlq -- list payment.order-created
  $ npm run dlq -- unacked
  $ npm run dlq -- show payment.order-created --id 6f1c2a4e-0b7d-4f3e-9a52-1c2d3e4f5a6b
  $ npm run dlq -- replay payment.order-created --all
  $ npm run dlq -- purge payment.order-created.dlq --id 6f1c2a4e-0b7d-4f3e-9a52-1c2d3e4f5a6b`;

/** The broker session of the real CLI: configuration read and validated, one connection. */
export function brokerSession(io: ProgramIo): Session {
  return async (work) => {
    const config = loadDlqConfig();
    const browser = await DlqBrowser.connect(config.RABBITMQ_URL, printableLines(io.err));
    try {
      const out = terminalOutput(io.out);
      const management = {
        reader: new ManagementReader(config.RABBITMQ_MANAGEMENT_URL),
        vhost: virtualHostOf(config.RABBITMQ_URL),
      };
      await work({ browser, out, width: io.width, management });
    } finally {
      await browser.close();
    }
  };
}

export function buildProgram(session: Session, io: ProgramIo): Command {
  const program = new Command('dlq')
    .description('List, inspect, replay and purge dead-lettered messages.')
    .usage('<command> [options]')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .addHelpText('after', PROGRAM_HELP);
  addCommands(program, session);
  return program;
}

/** Runs the CLI and returns its exit code: 0 on success, 1 with one line on stderr otherwise. */
export async function runDlq(
  argv: string[],
  io: ProgramIo = stdio,
  session: Session = brokerSession(io),
): Promise<number> {
  return runProgram(buildProgram(session, io), argv, io.err);
}
