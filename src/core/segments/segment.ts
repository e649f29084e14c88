// A segment as the core hands it to every surface: the stored row (the Prisma model's shape,
// which raw SQL readers map to as well; see repository/rows.ts).
export type { Segment } from '../../db/generated/prisma/client.js';
