import { eq, fillPlaceholders, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { integer, json, pgTable, text } from 'drizzle-orm/pg-core';
import { columnPlaceholder } from './column-placeholder';

const answers = pgTable('answers', {
  key: text('key').primaryKey(),
  status: integer('status'),
  body: json('body'),
});

const db = drizzle.mock();

describe('columnPlaceholder', () => {
  it('makes the update that setting the values themselves makes', () => {
    const values = { key: 'k', status: 202, body: [{ id: 'a' }, { id: 'b' }] };
    const direct = db
      .update(answers)
      .set({ status: values.status, body: values.body })
      .where(eq(answers.key, values.key))
      .toSQL();
    const built = db
      .update(answers)
      .set({
        status: columnPlaceholder(answers.status, 'status'),
        body: columnPlaceholder(answers.body, 'body'),
      })
      .where(eq(answers.key, sql.placeholder('key')))
      .toSQL();

    expect(built.sql).toBe(direct.sql);
    expect(fillPlaceholders(built.params, values)).toEqual(direct.params);
  });

  it('sends a json value as its JSON text, not as the object pg would turn into an array', () => {
    const built = db
      .update(answers)
      .set({ body: columnPlaceholder(answers.body, 'body') })
      .toSQL();

    expect(fillPlaceholders(built.params, { body: ['x', 'y'] })).toEqual(['["x","y"]']);
  });

  it('sets a null as SQL NULL, not as the JSON null', () => {
    const built = db
      .update(answers)
      .set({ body: columnPlaceholder(answers.body, 'body') })
      .toSQL();

    expect(fillPlaceholders(built.params, { body: null })).toEqual([null]);
  });
});
