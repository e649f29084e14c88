// An import job as the core hands it to every surface: the stored row (the Prisma model's shape).
export type { ImportJob } from '../../db/generated/prisma/client.js';
