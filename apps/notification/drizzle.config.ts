import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './apps/notification/src/db/notification.tables.ts',
  out: './apps/notification/src/db/migrations',
  schemaFilter: ['notifications'],
});
