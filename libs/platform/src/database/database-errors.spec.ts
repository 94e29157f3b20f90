import {
  isDatabaseUnavailable,
  isUnavailableAnswer,
  permanentDatabaseError,
} from './database-errors';

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

describe('isUnavailableAnswer', () => {
  it.each(['08P01', '08006', '57P01', '57P03', '53300'])(
    "takes SQLSTATE %s, the database's or its pooler's own answer, wrapped or not",
    (code) => {
      expect(isUnavailableAnswer(withCode(code))).toBe(true);
      expect(isUnavailableAnswer(new Error('Failed query', { cause: withCode(code) }))).toBe(true);
    },
  );

  it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', '23505'])(
    'leaves %s, which a socket to any service (or a statement) raises, to the ping',
    (code) => expect(isUnavailableAnswer(withCode(code))).toBe(false),
  );

  it('leaves a message that only reads as an outage to the ping', () => {
    expect(isUnavailableAnswer(new Error('Connection terminated unexpectedly'))).toBe(false);
  });
});

describe('permanentDatabaseError', () => {
  it.each([
    ['22001', 'string data right truncation'],
    ['22P02', 'invalid text representation'],
    ['23502', 'not-null violation'],
    ['23503', 'foreign key violation'],
    ['23514', 'check violation'],
    ['42601', 'syntax error'],
    ['42P01', 'undefined table'],
    ['54000', 'program limit exceeded (index row too large)'],
  ])('treats %s (%s) as permanent', (code) => {
    expect(permanentDatabaseError(withCode(code))).toBe(`SQLSTATE ${code}: driver error`);
  });

  it('follows the cause of a wrapped driver error', () => {
    const wrapped = new Error('Failed query: insert into ...', { cause: withCode('54000') });
    expect(permanentDatabaseError(wrapped)).toBe('SQLSTATE 54000: driver error');
  });

  it.each([
    ['a unique violation (a concurrent writer may have won)', withCode('23505')],
    ['an exclusion violation', withCode('23P01')],
    ['a serialization failure', withCode('40001')],
    ['a deadlock', withCode('40P01')],
    ['an outage', withCode('57P01')],
    ['a socket error', withCode('ECONNRESET')],
    ['a plain error', new Error('handler failed')],
    ['a non-error', '22001'],
  ])('leaves %s transient', (_case, error) => {
    expect(permanentDatabaseError(error)).toBeUndefined();
  });
});
