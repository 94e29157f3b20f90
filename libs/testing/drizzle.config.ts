import { defineConfig } from 'drizzle-kit';

/** Migrations of the test fixture service used by the libraries' integration tests. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './libs/testing/src/fixture/fixture.tables.ts',
  out: './libs/testing/src/fixture/migrations',
  schemaFilter: ['fixture'],
});
