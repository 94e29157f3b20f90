import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './apps/payment/src/db/payment.tables.ts',
  out: './apps/payment/src/db/migrations',
  schemaFilter: ['payments'],
});
