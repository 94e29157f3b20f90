import { startFixtureApp } from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { RAW_SCHEMA } from './raw-transaction';

/** The bundle does not carry the fixture's SQL files; `npm run bench` runs from the repository root. */
const FIXTURE_MIGRATIONS = join(process.cwd(), 'libs/testing/src/fixture/migrations');

export interface BenchEnv {
  RABBITMQ_URL: string;
  DATABASE_URL: string;
}

/** The fixture service in this process, without the tracing preload: the libraries' own cost. */
export function bootFixture(env: BenchEnv): Promise<INestApplication> {
  return startFixtureApp({ ...env }, FIXTURE_MIGRATIONS);
}

export { RAW_SCHEMA };

/**
 * The raw baselines' tables, beside the fixture's: outbox and inbox are column-for-column,
 * index-for-index copies of the fixture's, the effects table has fixture.effects' columns with
 * the same `now()` default (its own sequence), and `commits` takes the commit-rate inserts.
 */
export async function createRawTables(pool: Pool): Promise<void> {
  await pool.query(`create schema if not exists ${RAW_SCHEMA}`);
  await pool.query(
    `create table if not exists ${RAW_SCHEMA}.outbox (like fixture.outbox including all)`,
  );
  await pool.query(`create table if not exists ${RAW_SCHEMA}.effects (
    id serial primary key,
    message_id text not null,
    value text not null,
    attempt integer not null,
    created_at timestamptz not null default now())`);
  await pool.query(
    `create table if not exists ${RAW_SCHEMA}.inbox (like fixture.inbox including all)`,
  );
  await pool.query(`create table if not exists ${RAW_SCHEMA}.commits (
    id bigserial primary key,
    client integer not null,
    created_at timestamptz not null default now())`);
}
