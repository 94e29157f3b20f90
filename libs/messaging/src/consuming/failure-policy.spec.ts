import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  RequestTimeoutException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { DeferMessageError, PermanentMessageError } from '../errors';
import { classifyFailure, combinePolicies } from './failure-policy';

class NotFound extends Error {}
class NotFoundAtAll extends NotFound {}
class Blocked extends Error {}
class CircuitOpen extends Error {}

describe('failure policy', () => {
  const policy = combinePolicies(
    { permanent: [NotFound] },
    { permanent: [Blocked], defer: [CircuitOpen] },
  );

  it("adds a queue's error classes to its service's", () => {
    expect(policy).toEqual({ permanent: [NotFound, Blocked], defer: [CircuitOpen] });
  });

  it('names the permanent classes, subclasses included, with their message as the reason', () => {
    expect(classifyFailure(new NotFoundAtAll('order o-1 does not exist'), policy)).toEqual({
      kind: 'permanent',
      reason: 'order o-1 does not exist',
    });
    expect(classifyFailure(new Blocked('card blocked'), policy).kind).toBe('permanent');
  });

  it("keeps the library's and Nest's own meanings whatever the policy", () => {
    expect(classifyFailure(new PermanentMessageError('never'), {})).toEqual({
      kind: 'permanent',
      reason: 'never',
    });
    expect(classifyFailure(new RpcException('Forbidden resource'), {})).toEqual({
      kind: 'permanent',
      reason: 'Forbidden resource',
    });
    expect(classifyFailure(new DeferMessageError('later'), {})).toEqual({ kind: 'defer' });
  });

  it("refuses for good on Nest's 4xx HTTP exceptions, which guards and pipes throw", () => {
    expect(classifyFailure(new ForbiddenException('wrong tenant'), {})).toEqual({
      kind: 'permanent',
      reason: 'wrong tenant',
    });
    const validation = new BadRequestException(['orderId must be a UUID', 'total is missing']);
    expect(classifyFailure(validation, {})).toEqual({
      kind: 'permanent',
      reason: 'orderId must be a UUID; total is missing',
    });
    expect(classifyFailure(new BadRequestException(), {})).toEqual({
      kind: 'permanent',
      reason: 'Bad Request',
    });
    // A 5xx says the handler's side failed, and a 429 (a throttler) or 408 says "later": worth
    // another try, or a deferral where the policy names them.
    expect(classifyFailure(new ServiceUnavailableException('later'), {})).toEqual({
      kind: 'retry',
    });
    const throttled = new HttpException('Too Many Requests', 429);
    expect(classifyFailure(throttled, {})).toEqual({ kind: 'retry' });
    expect(classifyFailure(throttled, { defer: [HttpException] })).toEqual({ kind: 'defer' });
    expect(classifyFailure(new RequestTimeoutException(), {})).toEqual({ kind: 'retry' });
  });

  it('defers the named outages and retries everything else', () => {
    expect(classifyFailure(new CircuitOpen('open'), policy)).toEqual({ kind: 'defer' });
    expect(classifyFailure(new Error('deadlock detected'), policy)).toEqual({ kind: 'retry' });
    expect(classifyFailure('a string', policy)).toEqual({ kind: 'retry' });
  });
});
