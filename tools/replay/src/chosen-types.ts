import { errorMessage } from '@app/messaging';
import { bindingTakes } from './event-selection';
import type { ReplayContext, ReplayRequest } from './replay.command';

/**
 * Named types the queue is not bound to would reach consumers with no handler for them, and each
 * be dead-lettered. Checked when the management API answers; the replay goes on without the check
 * (and says so) when it does not.
 */
async function refuseUnbound(context: ReplayContext, queue: string, types: string[]) {
  let bound: string[];
  try {
    bound = await context.boundTypes(queue);
  } catch (error) {
    // Its own message, without the advice to name the types: they are named.
    const reason = error instanceof Error && error.cause !== undefined ? error.cause : error;
    context.line(`Not checked against ${queue}'s bindings: ${errorMessage(reason)}`);
    return;
  }
  const unbound = types.filter((type) => !bound.some((key) => bindingTakes(key, type)));
  if (unbound.length > 0) {
    throw new Error(
      `${queue} is not bound to ${unbound.join(', ')} on the events exchange: its consumers have no handler for them and would dead-letter each; nothing was replayed`,
    );
  }
}

/** The types to replay: those named, once checked, or else those the queue is bound to. */
export async function chosenTypes(
  context: ReplayContext,
  request: ReplayRequest,
): Promise<string[]> {
  if (request.types) {
    await refuseUnbound(context, request.queue, request.types);
    return request.types;
  }
  const bound = await context.boundTypes(request.queue);
  if (bound.length === 0) {
    throw new Error(
      `${request.queue} is bound to no event type on the events exchange: its consumers take no events; nothing was replayed`,
    );
  }
  const patterns = bound.filter((key) => /[*#]/.test(key));
  if (patterns.length > 0) {
    throw new Error(
      `${request.queue} is bound with the pattern ${patterns.join(', ')}; name the events with --type`,
    );
  }
  return bound;
}
