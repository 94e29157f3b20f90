import { DlqError } from '../dlq.errors';
import type { Message } from 'amqplib';
import { messageIdOf, NO_MESSAGE_ID } from './dead-letter.view';

/** Which messages of a dead-letter queue a command acts on. */
export type Selection = { readonly all: true } | { readonly all: false; readonly ids: string[] };

export interface SelectionOptions {
  id?: string[];
  all?: boolean;
}

/**
 * Replay and purge act on messages named by id, or on all of them when asked in so many words;
 * a bare command is refused rather than guessed.
 */
export function selectionFrom(options: SelectionOptions, command: string): Selection {
  const ids = [...new Set((options.id ?? []).map((id) => id.trim()))];
  if (options.all && ids.length > 0) throw new DlqError('use either --id or --all, not both');
  if (options.all) return { all: true };
  if (ids.length === 0) {
    throw new DlqError(
      `${command} needs --id <messageId>… or --all to say which messages; nothing was done`,
    );
  }
  if (ids.some((id) => id === '' || id === NO_MESSAGE_ID)) {
    throw new DlqError(
      `--id needs a messageId; messages without one can only be chosen with --all`,
    );
  }
  return { all: false, ids };
}

export function isSelected(selection: Selection, messageId: string | undefined): boolean {
  if (selection.all) return true;
  return messageId !== undefined && selection.ids.includes(messageId);
}

export interface Picked<M extends Message> {
  chosen: M[];
  /** Ids asked for that no message in the queue carries. */
  missing: string[];
}

/** The chosen messages, in queue order; every copy of a repeated id is chosen. */
export function pickMessages<M extends Message>(messages: M[], selection: Selection): Picked<M> {
  const chosen = messages.filter((message) => isSelected(selection, messageIdOf(message)));
  const found = new Set(chosen.map(messageIdOf));
  const missing = selection.all ? [] : selection.ids.filter((id) => !found.has(id));
  return { chosen, missing };
}
