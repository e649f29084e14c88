// contactsCsv: the text GET /contacts/export streams, for small sets. Past the limit it is a
// GraphQL error (SEMANTICS.md keeps GraphQL errors for limits; a query has no payload to carry a
// userError), pointing at the streamed endpoint.
import { GraphQLError } from 'graphql';
import { contactCount } from '../core/contacts/service.js';
import { exportContacts } from '../core/exports/service.js';
import { segmentMembers } from '../core/segments/service.js';
import { builder } from './builder.js';

export const MAX_CSV_CONTACTS = 10_000;
/** And at most this much text: 10,000 contacts of the widest kind would be 2 GB in one string. */
export const MAX_CSV_BYTES = 16 * 1024 * 1024;

builder.queryField('contactsCsv', (t) =>
  t.string({
    description: `Contacts as CSV text, for small sets (at most ${MAX_CSV_CONTACTS} contacts and 16 MiB); large exports use GET /contacts/export.`,
    args: { segmentId: t.arg.id({ description: 'Only members of this segment; an unknown segment selects nothing.' }) },
    resolve: async (_root, { segmentId }, ctx) => {
      // As in contacts(segmentId:), an unknown segment selects nothing.
      const segment = segmentId ? await segmentMembers(ctx.db, ctx.accountId, segmentId) : null;
      const count = await contactCount(ctx.db, { accountId: ctx.accountId, segment });
      if (count > MAX_CSV_CONTACTS) throw tooLarge(`at most ${MAX_CSV_CONTACTS} contacts (this selection has ${count})`);
      const parts: Buffer[] = [];
      let bytes = 0;
      await exportContacts(ctx.db, ctx.accountId, segment, (chunk) => {
        bytes += chunk.length;
        if (bytes > MAX_CSV_BYTES) throw tooLarge('at most 16 MiB of text (this selection has more)');
        parts.push(Buffer.from(chunk));
      });
      return Buffer.concat(parts).toString('utf8');
    },
  }),
);

function tooLarge(limit: string): GraphQLError {
  return new GraphQLError(`contactsCsv returns ${limit}; download GET /contacts/export instead`, {
    extensions: { code: 'LIMIT_EXCEEDED' },
  });
}
