// The schema is the sum of its parts; each file holds one domain type with its queries and mutations.
import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './user-error.js';
import './contact.js';
import './segment.js';
import './import-job.js';
import './export-csv.js';

export const schema = lexicographicSortSchema(builder.toSchema());
