import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './apps/order/src/db/order.tables.ts',
  out: './apps/order/src/db/migrations',
  schemaFilter: ['orders'],
});
