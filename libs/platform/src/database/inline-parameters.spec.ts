import { escapeLiteral } from 'pg';
import { inlineParameters, sqlLiteral } from './inline-parameters';

describe('inlineParameters', () => {
  it('replaces each placeholder with its value as an escaped literal', () => {
    expect(
      inlineParameters('insert into "t" ("a", "b", "c", "d") values ($1, $2, $3, $4)', [
        "O'Brien",
        42,
        true,
        null,
      ]),
    ).toBe(`insert into "t" ("a", "b", "c", "d") values ('O''Brien', '42', 'true', NULL)`);
  });

  it('reads $10 as one placeholder, and reuses a value named twice', () => {
    const values = Array.from({ length: 10 }, (_, index) => `v${index + 1}`);
    expect(inlineParameters('select $10, $1, $1', values)).toBe(`select 'v10', 'v1', 'v1'`);
  });

  it('leaves dollar signs inside quotes and identifiers alone', () => {
    expect(inlineParameters(`select '$1', "a$1", b$1, $1`, ['x'])).toBe(
      `select '$1', "a$1", b$1, 'x'`,
    );
  });

  it('declines what it would have to parse or cannot send as text', () => {
    expect(inlineParameters('select $1', [Buffer.from('x')])).toBeUndefined();
    expect(inlineParameters('select $1', [new Date()])).toBeUndefined();
    expect(inlineParameters('select $1', [['a']])).toBeUndefined();
    expect(inlineParameters(`select E'\\'' || $1`, ['x'])).toBeUndefined();
    expect(inlineParameters('select $1 -- $2', ['x'])).toBeUndefined();
    expect(inlineParameters('select $2', ['x'])).toBeUndefined();
    expect(inlineParameters(`select 'open`, [])).toBeUndefined();
  });

  it('declines a string with a NUL character, which would end the query text early', () => {
    expect(inlineParameters('select $1, $2', ['a', 'b\0c'])).toBeUndefined();
    expect(inlineParameters('select $1', ['a\\0'])).toBe(`select  E'a\\\\0'`);
  });

  it('escapes a backslash as pg does, in an E string, so the value reads the same', () => {
    expect(inlineParameters('select $1, $2', ['a\\b', "c'd\\"])).toBe(
      `select  E'a\\\\b',  E'c''d\\\\'`,
    );
  });

  it('gives the same text for the same statement run again with other values', () => {
    const text = 'update "t" set "a" = $1 where "id" = $2';
    expect(inlineParameters(text, ['x', 1])).toBe(`update "t" set "a" = 'x' where "id" = '1'`);
    expect(inlineParameters(text, ['y', 2])).toBe(`update "t" set "a" = 'y' where "id" = '2'`);
    expect(inlineParameters(text, ['z'])).toBeUndefined();
  });

  it('declines a statement with fewer values than its highest placeholder, from the cached cut too', () => {
    const text = 'select $3, $1';
    expect(inlineParameters(text, ['a', 'b'])).toBeUndefined();
    expect(inlineParameters(text, ['a', 'b', 'c'])).toBe(`select 'c', 'a'`);
    expect(inlineParameters(text, ['a', 'b'])).toBeUndefined();
  });
});

describe('sqlLiteral', () => {
  it('writes NULL, quotes doubled, and backslashes in an E string', () => {
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(undefined)).toBe('NULL');
    expect(sqlLiteral(7)).toBe(`'7'`);
    expect(sqlLiteral("it's")).toBe(`'it''s'`);
    expect(sqlLiteral('a\\b')).toBe(` E'a\\\\b'`);
  });

  it("writes a string exactly as pg's escapeLiteral does", () => {
    for (const text of ['', 'plain', "it's", 'a\\b', "\\'both'\\", 'ü € \n', '{a,b}']) {
      expect(sqlLiteral(text)).toBe(escapeLiteral(text));
    }
  });
});
