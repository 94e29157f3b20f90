import { DeferMessageError, errorMessage, refusalOf } from '../errors';
import type { ErrorClass, FailurePolicy } from '../topology/topology';

/** What a handler's error means for its message. */
export type FailureKind =
  { kind: 'permanent'; reason: string } | { kind: 'defer' } | { kind: 'retry' };

const isAny = (error: unknown, classes: readonly ErrorClass[] = []): boolean =>
  classes.some((errorClass) => error instanceof errorClass);

/** A queue's own policy added to its service's. */
export function combinePolicies(
  service: FailurePolicy = {},
  queue: FailurePolicy = {},
): FailurePolicy {
  return {
    permanent: [...(service.permanent ?? []), ...(queue.permanent ?? [])],
    defer: [...(service.defer ?? []), ...(queue.defer ?? [])],
  };
}

/** Reads a handler's error through the queue's failure policy. */
export function classifyFailure(error: unknown, policy: FailurePolicy): FailureKind {
  const refusal = refusalOf(error);
  if (refusal !== undefined) return { kind: 'permanent', reason: refusal };
  if (isAny(error, policy.permanent)) return { kind: 'permanent', reason: errorMessage(error) };
  if (error instanceof DeferMessageError || isAny(error, policy.defer)) return { kind: 'defer' };
  return { kind: 'retry' };
}
