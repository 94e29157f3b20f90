import { isDatabaseUnavailable } from './database-errors';

const withCode = (code: string) => Object.assign(new Error('driver error'), { code });

describe('isDatabaseUnavailable', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03', '08006', '08001', '53300'])(
    'recognises code %s as an outage',
    (code) => expect(isDatabaseUnavailable(withCode(code))).toBe(true),
  );

  it.each([
    'Connection terminated unexpectedly',
    'timeout exceeded when trying to connect',
    'terminating connection due to administrator command',
  ])('recognises "%s" as an outage', (message) => {
    expect(isDatabaseUnavailable(new Error(message))).toBe(true);
  });

  it('follows the cause of a wrapped driver error', () => {
    const wrapped = new Error('Failed query: insert into ...', { cause: withCode('ECONNREFUSED') });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['a syntax error', withCode('42601')],
    ['a plain error', new Error('handler failed')],
    ['a non-error', 'ECONNREFUSED'],
  ])('does not mistake %s for an outage', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
