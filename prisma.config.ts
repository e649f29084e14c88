import { defineConfig } from 'prisma/config';

// Prisma's own CLI (generate, and migrate status/deploy where its engine is installed).
// The service applies prisma/migrations itself; see src/db/migrate.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/contacts' },
});
