// Reading contacts: one by id or email, the Relay connection, and numbered pages.
import type { Contact } from '../core/contacts/contact.js';
import { contactPageAt, DEFAULT_CONTACT_ORDER } from '../core/contacts/service.js';
import type { SegmentMembers } from '../core/segments/definition.js';
import { segmentMembers } from '../core/segments/service.js';
import { normaliseEmail } from '../core/contacts/rules.js';
import { isIdOf } from '../core/ids.js';
import { builder } from './builder.js';
import { badInput, checkPageSize } from './connection.js';
import {
  ContactConnection,
  ContactOrderInput,
  contactConnectionArgs,
  contactCount,
  contactFilter,
  resolveContactConnection,
  selects,
} from './contact-connection.js';
import { ContactRef } from './contact-node.js';
import type { Context } from './context.js';
import { connectionComplexity, DEFAULT_PAGE_SIZE } from './limits.js';

builder.queryField('contact', (t) =>
  t.prismaField({
    type: 'Contact',
    nullable: true,
    description: 'The contact with this id or email (with both, it must match both); null when there is none in this account.',
    args: { id: t.arg.id(), email: t.arg.string() },
    resolve: (query, _root, { id, email }, ctx) => {
      if (id == null && email == null) throw badInput('contact needs an id or an email', 'id');
      if (id != null && !isIdOf('contact', id)) return null;
      return ctx.db.prisma.contact.findFirst({
        ...query,
        where: { accountId: ctx.accountId, ...(id != null && { id }), ...(email != null && { email: normaliseEmail(email) }) },
      });
    },
  }),
);

const listArgs = builder.args((t) => ({
  segmentId: t.id({ description: 'Only members of this segment; an unknown segment selects nothing.' }),
  orderBy: t.field({ type: ContactOrderInput, description: 'Default: CREATED_AT DESC. Ties are broken by id.' }),
}));

builder.queryField('contacts', (t) =>
  t.field({
    type: ContactConnection,
    args: { ...contactConnectionArgs, ...listArgs },
    complexity: connectionComplexity,
    resolve: async (_root, args, ctx, info) => resolveContactConnection(ctx, args, await segmentScope(ctx, args.segmentId), info),
  }),
);

interface Pagination {
  page: number;
  perPage: number;
  total: () => Promise<number>;
}

const PaginationRef = builder.objectRef<Pagination>('Pagination').implement({
  fields: (t) => ({
    total: t.int({ resolve: (pagination) => pagination.total() }),
    page: t.exposeInt('page'),
    perPage: t.exposeInt('perPage'),
    totalPages: t.int({ resolve: async (pagination) => Math.ceil((await pagination.total()) / pagination.perPage) }),
  }),
});

const ContactPageRef = builder.objectRef<{ contacts: Contact[]; pagination: Pagination }>('ContactPage').implement({
  fields: (t) => ({
    contacts: t.field({ type: [ContactRef], nullable: { list: false, items: false }, resolve: (page) => page.contacts }),
    pagination: t.field({ type: PaginationRef, resolve: (page) => page.pagination }),
  }),
});

builder.queryField('contactsPage', (t) =>
  t.field({
    type: ContactPageRef,
    description: 'The same list as contacts, by page number. A page past the end is empty.',
    args: {
      page: t.arg.int({ defaultValue: 1 }),
      perPage: t.arg.int({ defaultValue: DEFAULT_PAGE_SIZE }),
      search: contactConnectionArgs.search,
      subscribed: contactConnectionArgs.subscribed,
      ...listArgs,
    },
    complexity: (args) => ({ field: 1, multiplier: args.perPage ?? DEFAULT_PAGE_SIZE }),
    resolve: async (_root, args, ctx, info) => {
      const page = args.page ?? 1;
      const perPage = args.perPage ?? DEFAULT_PAGE_SIZE;
      if (page < 1) throw badInput(`page must be 1 or more (got ${page})`, 'page');
      checkPageSize('perPage', perPage);
      const filter = contactFilter(ctx, args, await segmentScope(ctx, args.segmentId));
      const total = contactCount(ctx, filter, selects(info, 'pagination', 'total') || selects(info, 'pagination', 'totalPages'));
      const contacts = await contactPageAt(ctx.db, filter, args.orderBy ?? DEFAULT_CONTACT_ORDER, (page - 1) * perPage, perPage);
      return { contacts, pagination: { page, perPage, total } };
    },
  }),
);

/** Whose members `segmentId` means: no segment filter when not given; none for a segment this account lacks. */
async function segmentScope(ctx: Context, segmentId: string | null | undefined): Promise<SegmentMembers | null> {
  return segmentId == null ? null : segmentMembers(ctx.db, ctx.accountId, segmentId);
}
