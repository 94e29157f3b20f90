import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { testSettings } from './test-environment';

export interface IsolatedDatabase {
  /** postgres URL of a database of this test file's own. */
  url: string;
  name: string;
  dispose(): Promise<void>;
}

async function onServer(statement: string): Promise<void> {
  const client = new Client({ connectionString: testSettings.databaseUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** True when PostgreSQL at `url` accepts a connection and answers a query. */
export async function databaseAnswers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh database: services migrate their schemas into it at start, as they would anywhere. */
export async function createIsolatedDatabase(label: string): Promise<IsolatedDatabase> {
  const name =
    `test_${label.replace(/[^a-z0-9]/gi, '_')}_${randomBytes(4).toString('hex')}`.toLowerCase();
  await onServer(`create database "${name}"`);
  const url = new URL(testSettings.databaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    dispose: () => onServer(`drop database if exists "${name}" with (force)`),
  };
}
