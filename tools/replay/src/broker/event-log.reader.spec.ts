import type { ChannelModel, ConsumeMessage } from 'amqplib';
import { EventLogQuietError, EventLogReader } from './event-log.reader';

function event(offset: number): ConsumeMessage {
  return {
    content: Buffer.from('{}'),
    fields: { routingKey: 'order.paid' },
    properties: { headers: { 'x-stream-offset': offset } },
  } as unknown as ConsumeMessage;
}

/** A connection whose every read of the log is given `offsets`, then nothing more. */
function logDelivering(offsets: number[]): ChannelModel {
  const channel = {
    prefetch: () => Promise.resolve(),
    on: () => undefined,
    once: () => undefined,
    ack: () => undefined,
    close: () => Promise.resolve(),
    consume: (_queue: string, onMessage: (message: ConsumeMessage) => void) => {
      setTimeout(() => offsets.forEach((offset) => onMessage(event(offset))), 10);
      return Promise.resolve({ consumerTag: 'reader' });
    },
  };
  return { createChannel: () => Promise.resolve(channel) } as unknown as ChannelModel;
}

describe('EventLogReader.read', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  async function readAll(offsets: number[], end: number, since?: Date) {
    const visited: number[] = [];
    const reading = new EventLogReader(logDelivering(offsets)).read(since, end, (_, offset) => {
      visited.push(offset);
      return Promise.resolve();
    });
    const settled = reading.then(
      () => undefined,
      (error: unknown) => error,
    );
    await jest.advanceTimersByTimeAsync(10_000);
    return { visited, error: await settled };
  }

  it('visits every event up to the end, in order', async () => {
    expect(await readAll([0, 1, 2, 3], 2)).toEqual({ visited: [0, 1, 2], error: undefined });
  });

  it('fails, saying where, when the broker falls quiet before the end', async () => {
    const { visited, error } = await readAll([0, 1, 2], 5);

    expect(visited).toEqual([0, 1, 2]);
    expect(error).toBeInstanceOf(EventLogQuietError);
    expect((error as Error).message).toBe(
      'the broker sent nothing more of events.log for 3 s, at offset 2 of 5',
    );
  });

  it('fails when nothing at all comes from the first event kept', async () => {
    const { error } = await readAll([], 5);

    expect((error as Error).message).toBe(
      'the broker sent nothing more of events.log for 3 s, before its first event of 5',
    );
  });

  it('ends quietly when nothing comes from --since: no event that late', async () => {
    expect(await readAll([], 5, new Date('2026-01-01T00:00:00Z'))).toEqual({
      visited: [],
      error: undefined,
    });
  });
});
