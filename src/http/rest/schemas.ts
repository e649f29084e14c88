// The JSON schemas the REST routes share: they validate requests and describe answers in openapi.json.
import { type TSchema, Type } from '@sinclair/typebox';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const time = Type.String({ format: 'date-time', examples: ['2026-03-23T10:00:00.000Z'] });
/** Any JSON object: the core checks the keys and values (SEMANTICS.md), so the rule lives once. */
const properties = Type.Unsafe<Record<string, unknown>>({
  type: 'object',
  additionalProperties: true,
  examples: [{ plan: 'pro', signed_up: '2026-01-15' }],
});

export const ContactSchema = Type.Object(
  {
    id: Type.String({ examples: ['ct_abc123def456ghi789jk'] }),
    email: Type.String({ examples: ['alice@example.com'] }),
    first_name: nullable(Type.String()),
    last_name: nullable(Type.String()),
    properties,
    unsubscribed: Type.Boolean(),
    unsubscribed_at: nullable(time),
    created_at: time,
    updated_at: time,
  },
  { additionalProperties: false },
);

const contactFields = {
  first_name: Type.Optional(nullable(Type.String())),
  last_name: Type.Optional(nullable(Type.String())),
  properties: Type.Optional(nullable(properties)),
  unsubscribed: Type.Optional(Type.Boolean()),
};

export const CreateContactBody = Type.Object(
  { email: Type.String({ examples: ['alice@example.com'] }), ...contactFields },
  { additionalProperties: false, examples: [{ email: 'alice@example.com', first_name: 'Alice', properties: { plan: 'pro' } }] },
);

export const UpdateContactBody = Type.Object(
  { email: Type.Optional(Type.String()), ...contactFields },
  { additionalProperties: false, examples: [{ properties: { plan: 'enterprise', trial: null } }] },
);

export const PaginationSchema = Type.Object(
  { total: Type.Integer(), page: Type.Integer(), per_page: Type.Integer(), total_pages: Type.Integer() },
  { additionalProperties: false },
);

export const PageQuery = {
  page: Type.Integer({ minimum: 1, default: 1 }),
  per_page: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
};

export const ContactListQuery = Type.Object({
  ...PageQuery,
  search: Type.Optional(Type.String({ description: 'Case-insensitive substring of the email, first name, last name or "first last".' })),
  segment_id: Type.Optional(Type.String({ description: 'Only members of this segment; an unknown segment selects nothing.' })),
  subscribed: Type.Optional(Type.Boolean()),
});

export const ContactListSchema = Type.Object({ contacts: Type.Array(ContactSchema), pagination: PaginationSchema });

export const IdOrEmailParams = Type.Object({
  id_or_email: Type.String({ description: 'A contact id (ct_…) or an email, percent-encoded', examples: ['ct_abc123def456ghi789jk'] }),
});

export const SubscriptionSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  unsubscribed: Type.Boolean(),
  unsubscribed_at: nullable(time),
});

export const DeletedSchema = Type.Object({ id: Type.String(), deleted: Type.Literal(true) });

const OPERATORS = [
  'equals',
  'not_equals',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
  'in',
  'not_in',
  'greater_than',
  'greater_than_or_equal',
  'less_than',
  'less_than_or_equal',
  'before',
  'after',
  'exists',
  'not_exists',
];

export const RuleSchema = Type.Object(
  {
    field: Type.String({ examples: ['properties.plan'] }),
    operator: Type.String({ description: `One of ${OPERATORS.join(', ')} (upper case accepted).`, examples: ['equals'] }),
    value: Type.Optional(nullable(Type.String())),
    values: Type.Optional(nullable(Type.Array(Type.String()))),
  },
  { additionalProperties: false },
);

export const SegmentSchema = Type.Object(
  {
    id: Type.String({ examples: ['seg_abc123def456ghi789'] }),
    name: Type.String({ examples: ['Enterprise Users'] }),
    type: Type.Union([Type.Literal('static'), Type.Literal('dynamic')]),
    match: Type.Union([Type.Literal('all'), Type.Literal('any')]),
    rules: Type.Array(RuleSchema),
    contact_count: Type.Optional(Type.Integer()),
    created_at: time,
    updated_at: time,
  },
  { additionalProperties: false },
);

export const SegmentListSchema = Type.Object({ segments: Type.Array(SegmentSchema) });

export const ErrorSchema = Type.Object({
  errors: Type.Array(
    Type.Object({
      code: Type.String({ examples: ['INVALID'] }),
      message: Type.String({ examples: ['email is not a valid address'] }),
      field: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Integer()]))),
    }),
  ),
});

export const SegmentIdParams = Type.Object({ id: Type.String({ examples: ['seg_abc123def456ghi789'] }) });

const match = Type.Union([Type.Literal('all'), Type.Literal('any'), Type.Literal('ALL'), Type.Literal('ANY')]);

export const CreateSegmentBody = Type.Object(
  {
    name: Type.String({ examples: ['Enterprise Users'] }),
    type: Type.Union([Type.Literal('static'), Type.Literal('dynamic'), Type.Literal('STATIC'), Type.Literal('DYNAMIC')]),
    match: Type.Optional(match),
    rules: Type.Optional(Type.Array(RuleSchema)),
  },
  {
    additionalProperties: false,
    examples: [
      { name: 'Enterprise Users', type: 'dynamic', rules: [{ field: 'properties.plan', operator: 'equals', value: 'enterprise' }] },
    ],
  },
);

export const UpdateSegmentBody = Type.Object(
  { name: Type.Optional(Type.String()), match: Type.Optional(match), rules: Type.Optional(Type.Array(RuleSchema)) },
  { additionalProperties: false, examples: [{ name: 'Enterprise' }] },
);

export const SegmentListQuery = Type.Object({
  ...PageQuery,
  search: Type.Optional(Type.String({ description: 'Case-insensitive substring of the name.' })),
  include: Type.Optional(Type.Literal('contact_count')),
});

export const SegmentPageSchema = Type.Object({ segments: Type.Array(SegmentSchema), pagination: PaginationSchema });

export const MembershipBody = Type.Object(
  { contact_ids: Type.Array(Type.String()) },
  { additionalProperties: false, examples: [{ contact_ids: ['ct_abc123def456ghi789jk'] }] },
);

export const ImportJobParams = Type.Object({
  job_id: Type.String({ description: 'The job_id an import answered (imp_…)', examples: ['imp_abc123def456ghi789jk'] }),
});

export const ImportJobSchema = Type.Object(
  {
    id: Type.String({ examples: ['imp_abc123def456ghi789jk'] }),
    status: Type.Union([Type.Literal('processing'), Type.Literal('completed'), Type.Literal('failed')]),
    filename: nullable(Type.String({ examples: ['contacts.csv'] })),
    imported: Type.Integer({ description: 'Contacts created.' }),
    updated: Type.Integer({ description: 'Existing contacts updated.' }),
    errors: Type.Integer({ description: 'Rows rejected.' }),
    rows_processed: Type.Integer({ description: 'Data rows read and committed (the header not counted).' }),
    row_errors: Type.Array(
      Type.Object(
        {
          line: Type.Integer({ description: '1-based line number in the file, the header being line 1.' }),
          email: nullable(Type.String()),
          message: Type.String(),
        },
        { additionalProperties: false },
      ),
      { description: 'The rejected rows in line order (the job keeps the first 1000).' },
    ),
    failure_reason: nullable(Type.String({ description: 'Why a failed import stopped.' })),
    created_at: time,
    finished_at: nullable(time),
  },
  { additionalProperties: false },
);
