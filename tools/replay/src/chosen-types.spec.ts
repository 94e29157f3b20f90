import { chosenTypes } from './chosen-types';
import type { ReplayContext } from './replay.command';

function contextBound(bound: () => Promise<string[]>, lines: string[] = []): ReplayContext {
  return {
    boundTypes: bound,
    line: (text: string) => lines.push(text),
  } as unknown as ReplayContext;
}

const request = (types?: string[]) => ({ queue: 'shipping.order-events', types, dryRun: false });

describe('chosenTypes', () => {
  it('takes named types the queue is bound to, patterns included', async () => {
    const context = contextBound(() => Promise.resolve(['order.paid', 'payment.*']));
    await expect(chosenTypes(context, request(['order.paid', 'payment.failed']))).resolves.toEqual([
      'order.paid',
      'payment.failed',
    ]);
  });

  it('refuses a named type the queue is not bound to, and a queue bound to none', async () => {
    await expect(
      chosenTypes(
        contextBound(() => Promise.resolve(['order.paid'])),
        request(['order.created']),
      ),
    ).rejects.toThrow(
      'shipping.order-events is not bound to order.created on the events exchange: its consumers have no handler for them and would dead-letter each; nothing was replayed',
    );
    await expect(
      chosenTypes(
        contextBound(() => Promise.resolve([])),
        request(['order.paid']),
      ),
    ).rejects.toThrow('shipping.order-events is not bound to order.paid');
  });

  it('takes named types unchecked when the bindings cannot be read, and says so', async () => {
    const lines: string[] = [];
    const unreadable = new Error('management down; name the events with --type', {
      cause: new Error('connect ECONNREFUSED 127.0.0.1:15672'),
    });
    const context = contextBound(() => Promise.reject(unreadable), lines);

    await expect(chosenTypes(context, request(['order.paid']))).resolves.toEqual(['order.paid']);
    expect(lines).toEqual([
      "Not checked against shipping.order-events's bindings: connect ECONNREFUSED 127.0.0.1:15672",
    ]);
  });

  it('without names, takes the bound types; refuses none, or a pattern, naming why', async () => {
    const bound = (keys: string[]) => contextBound(() => Promise.resolve(keys));
    await expect(chosenTypes(bound(['order.paid']), request())).resolves.toEqual(['order.paid']);
    await expect(chosenTypes(bound([]), request())).rejects.toThrow(
      'shipping.order-events is bound to no event type on the events exchange: its consumers take no events; nothing was replayed',
    );
    await expect(chosenTypes(bound(['order.#']), request())).rejects.toThrow(
      'shipping.order-events is bound with the pattern order.#; name the events with --type',
    );
  });
});
