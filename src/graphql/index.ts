// The schema: every file that adds types and fields to the builder, imported once, then printed.
import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './user-error.js';
import './contact.js';
import './segment.js';
import './import-job.js';
import './import-mutation.js';
import './export-csv.js';
import './events.js';
import './event-subscription.js';
import './webhook.js';

export const schema = lexicographicSortSchema(builder.toSchema());
