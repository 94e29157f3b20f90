// Shared by the dlq*.int-spec.ts files. Each file calls useDlqCommands once, inside its describe,
// with a label of its own: jest gives every test file its own copy of this module, so the
// bindings below belong to that file, and its isolation (virtual host, database) to it alone.
import { isolate, type Isolation } from '@app/testing';
import { DlqBrowser } from '../src/broker/dlq.browser';
import type { CommandContext } from '../src/commands/command.context';
import { terminalOutput } from '../src/dlq.output';
import { DeadLetterFixture } from './dead-letter.fixture';

export const REPLAYED_AT = new Date('2025-05-06T07:08:09.010Z');

export let isolation: Isolation;
export let fixture: DeadLetterFixture;
let browser: DlqBrowser;
/** What the commands printed in the current test, a line an entry. */
export let printed: string[];

export const context = (): CommandContext => ({
  browser,
  out: terminalOutput((text) => printed.push(text.slice(0, -1))),
  now: () => REPLAYED_AT,
});
export const output = () => printed.join('\n');
export const deadLetter = (error?: string, withId?: boolean) => fixture.deadLetter(error, withId);
export const countIn = (queue: string) => fixture.client.messageCount(queue);
export const take = (queue: string, count: number) => fixture.client.take(queue, count);

/**
 * A virtual host and a database of the calling file's own (isolate(label)), with the dead-letter
 * fixture and a browser connected to it; before each test the queues are emptied and nothing
 * is printed yet.
 */
export function useDlqCommands(label: string): void {
  beforeAll(async () => {
    isolation = await isolate(label);
    fixture = await DeadLetterFixture.open(isolation.env.RABBITMQ_URL);
    browser = await DlqBrowser.connect(isolation.env.RABBITMQ_URL);
  });

  beforeEach(async () => {
    printed = [];
    await fixture.reset();
  });

  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
    await isolation?.dispose();
  });
}
