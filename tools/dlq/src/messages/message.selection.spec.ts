import type { Message } from 'amqplib';
import { isSelected, pickMessages, selectionFrom } from './message.selection';

const message = (messageId?: string, headers: Record<string, unknown> = {}) =>
  ({
    content: Buffer.alloc(0),
    fields: {},
    properties: { messageId, headers },
  }) as unknown as Message;

describe('selectionFrom', () => {
  it('refuses a command that says neither --id nor --all', () => {
    expect(() => selectionFrom({}, 'replay')).toThrow(
      'replay needs --id <messageId>… or --all to say which messages; nothing was done',
    );
    expect(() => selectionFrom({ id: [] }, 'purge')).toThrow(/^purge needs --id/);
  });

  it('refuses --id with --all', () => {
    expect(() => selectionFrom({ id: ['a'], all: true }, 'purge')).toThrow(
      'use either --id or --all, not both',
    );
  });

  it('refuses an empty id and the placeholder of messages without one', () => {
    expect(() => selectionFrom({ id: [' '] }, 'replay')).toThrow(/only be chosen with --all/);
    expect(() => selectionFrom({ id: ['(none)'] }, 'replay')).toThrow(/only be chosen with --all/);
  });

  it('reads ids once each, trimmed, and --all', () => {
    expect(selectionFrom({ id: ['a', ' b ', 'a'] }, 'show')).toEqual({
      all: false,
      ids: ['a', 'b'],
    });
    expect(selectionFrom({ all: true }, 'show')).toEqual({ all: true });
  });
});

describe('choosing messages', () => {
  const messages = [
    message('a'),
    message(undefined),
    message('b'),
    message('a'),
    message(undefined, { 'x-message-id': 'h' }),
  ];

  it('chooses every copy of the ids asked for, and names the ids not found', () => {
    const picked = pickMessages(messages, { all: false, ids: ['a', 'h', 'zz'] });
    expect(picked.chosen).toEqual([messages[0], messages[3], messages[4]]);
    expect(picked.missing).toEqual(['zz']);
  });

  it('chooses messages without an id only with --all', () => {
    expect(pickMessages(messages, { all: true }).chosen).toEqual(messages);
    expect(isSelected({ all: false, ids: ['a'] }, undefined)).toBe(false);
  });
});
