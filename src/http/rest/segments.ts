// The segment routes of REST.md, on the same segment services as the GraphQL mutations and queries.
import { contactCount } from '../../core/contacts/service.js';
import type { SegmentMatch, SegmentType } from '../../core/segments/definition.js';
import type { SegmentOperator } from '../../core/segments/operators.js';
import type { SegmentRuleInput } from '../../core/segments/rules.js';
import type { Segment } from '../../core/segments/segment.js';
import {
  changeMembers,
  createSegment,
  deleteSegment,
  findSegment,
  MAX_MEMBERSHIP_CHANGES,
  segmentCount,
  segmentPageAt,
  updateSegment,
} from '../../core/segments/service.js';
import type { Database } from '../../db/database.js';
import type { Caller } from '../../core/events/service.js';
import { contactListAnswer } from './contacts.js';
import { RestError, userErrorsAnswer } from './errors.js';
import { segmentJson } from '../../core/json.js';
import { type Answer, jsonRoute, type Route } from './route.js';
import {
  ContactListQuery,
  ContactListSchema,
  CreateSegmentBody,
  DeletedSchema,
  MembershipBody,
  SegmentIdParams,
  SegmentListQuery,
  SegmentPageSchema,
  SegmentSchema,
  UpdateSegmentBody,
} from './schemas.js';

export function segmentNotFound(id: string): RestError {
  return RestError.one(404, 'NOT_FOUND', `there is no segment ${id} in this account`);
}

interface RuleBody {
  field: string;
  operator: string;
  value?: string | null;
  values?: string[] | null;
}

/** The core takes the GraphQL spellings: upper-case operators, type and match. */
const rules = (body: { rules?: RuleBody[] }): SegmentRuleInput[] | undefined =>
  body.rules?.map((rule) => ({ ...rule, operator: rule.operator.toUpperCase() as SegmentOperator }));
const matchOf = (match: string | undefined) => match?.toUpperCase() as SegmentMatch | undefined;

async function segmentAnswer(db: Database, accountId: string, segment: Segment, status = 200): Promise<Answer> {
  return { status, body: segmentJson(segment, await contactCount(db, { accountId, segment })) };
}

async function segmentOf(db: Database, accountId: string, id: string): Promise<Segment> {
  const segment = await findSegment(db, accountId, id);
  if (!segment) throw segmentNotFound(id);
  return segment;
}

/** The membership change's refusals: the segment itself missing is the route's 404. */
async function membership(db: Database, caller: Caller, id: string, change: 'add' | 'remove', contactIds: string[]): Promise<Answer> {
  const { accountId } = caller;
  await segmentOf(db, accountId, id);
  if (contactIds.length > MAX_MEMBERSHIP_CHANGES) {
    throw RestError.one(422, 'LIMIT_EXCEEDED', `contact_ids takes at most ${MAX_MEMBERSHIP_CHANGES} ids (got ${contactIds.length})`, [
      'contact_ids',
    ]);
  }
  const outcome = await changeMembers(db, caller, change, { segmentId: id, contactIds });
  if (!outcome.ok) {
    if (outcome.errors.some((error) => error.path?.[0] === 'segmentId' && error.code === 'NOT_FOUND')) throw segmentNotFound(id);
    throw userErrorsAnswer(outcome.errors.map((error) => (error.path?.[0] === 'segmentId' ? { ...error, path: null } : error)));
  }
  return segmentAnswer(db, accountId, outcome.value);
}

export const segmentRoutes: Route[] = [
  jsonRoute({
    method: 'POST',
    path: '/segments',
    operationId: 'createSegment',
    summary: 'Create a segment',
    tag: 'Segments',
    body: CreateSegmentBody,
    responses: { 201: { description: 'The segment', schema: SegmentSchema } },
    errors: [400, 401, 413, 415, 422],
    handler: async ({ db, accountId, caller, body }) => {
      const outcome = await createSegment(db, caller, {
        name: body.name,
        type: body.type.toUpperCase() as SegmentType,
        match: matchOf(body.match),
        rules: rules(body),
      });
      if (!outcome.ok) throw userErrorsAnswer(outcome.errors);
      return segmentAnswer(db, accountId, outcome.value, 201);
    },
  }),
  jsonRoute({
    method: 'GET',
    path: '/segments',
    operationId: 'listSegments',
    summary: 'A page of segments, newest first (contact_count only with ?include=contact_count)',
    tag: 'Segments',
    query: SegmentListQuery,
    responses: { 200: { description: 'A page and the pagination', schema: SegmentPageSchema } },
    errors: [400, 401],
    handler: async ({ db, accountId, query }) => {
      const filter = { accountId, search: query.search };
      const [total, segments] = await Promise.all([
        segmentCount(db, filter),
        segmentPageAt(db, filter, (query.page - 1) * query.per_page, query.per_page),
      ]);
      const counts = query.include ? await Promise.all(segments.map((segment) => contactCount(db, { accountId, segment }))) : undefined;
      return {
        status: 200,
        body: {
          segments: segments.map((segment, index) => segmentJson(segment, counts?.[index])),
          pagination: { total, page: query.page, per_page: query.per_page, total_pages: Math.ceil(total / query.per_page) },
        },
      };
    },
  }),
  jsonRoute({
    method: 'GET',
    path: '/segments/{id}',
    operationId: 'getSegment',
    summary: 'A segment',
    tag: 'Segments',
    params: SegmentIdParams,
    responses: { 200: { description: 'The segment', schema: SegmentSchema } },
    errors: [401, 404],
    handler: async ({ db, accountId, params }) => segmentAnswer(db, accountId, await segmentOf(db, accountId, params.id)),
  }),
  jsonRoute({
    method: 'PATCH',
    path: '/segments/{id}',
    operationId: 'updateSegment',
    summary: "Change a segment's name, match or rules (rules are replaced whole)",
    tag: 'Segments',
    params: SegmentIdParams,
    body: UpdateSegmentBody,
    responses: { 200: { description: 'The segment', schema: SegmentSchema } },
    errors: [400, 401, 404, 413, 415, 422],
    handler: async ({ db, accountId, caller, params, body }) => {
      await segmentOf(db, accountId, params.id);
      const outcome = await updateSegment(db, caller, params.id, {
        ...('name' in body && { name: body.name }),
        ...('match' in body && { match: matchOf(body.match) }),
        ...('rules' in body && { rules: rules(body) }),
      });
      if (!outcome.ok) {
        if (outcome.errors.some((error) => error.path?.[0] === 'id')) throw segmentNotFound(params.id);
        throw userErrorsAnswer(outcome.errors);
      }
      return segmentAnswer(db, accountId, outcome.value);
    },
  }),
  jsonRoute({
    method: 'DELETE',
    path: '/segments/{id}',
    operationId: 'deleteSegment',
    summary: 'Delete a segment; its contacts stay',
    tag: 'Segments',
    params: SegmentIdParams,
    responses: { 200: { description: 'Deleted', schema: DeletedSchema } },
    errors: [401, 404],
    handler: async ({ db, caller, params }) => {
      const outcome = await deleteSegment(db, caller, params.id);
      if (!outcome.ok) throw segmentNotFound(params.id);
      return { status: 200, body: { id: outcome.value, deleted: true } };
    },
  }),
  jsonRoute({
    method: 'GET',
    path: '/segments/{id}/contacts',
    operationId: 'segmentContacts',
    summary: "A page of the segment's contacts, as GET /contacts",
    tag: 'Segments',
    params: SegmentIdParams,
    query: ContactListQuery,
    responses: { 200: { description: 'A page and the pagination', schema: ContactListSchema } },
    errors: [400, 401, 404],
    handler: async ({ db, accountId, params, query }) => contactListAnswer(db, accountId, query, await segmentOf(db, accountId, params.id)),
  }),
  ...(['add', 'remove'] as const).map((change) =>
    jsonRoute({
      method: change === 'add' ? 'POST' : 'DELETE',
      path: '/segments/{id}/contacts',
      operationId: change === 'add' ? 'addSegmentContacts' : 'removeSegmentContacts',
      summary: `${change === 'add' ? 'Add contacts to' : 'Remove contacts from'} a static segment (all or nothing, at most ${MAX_MEMBERSHIP_CHANGES})`,
      tag: 'Segments',
      params: SegmentIdParams,
      body: MembershipBody,
      responses: { 200: { description: 'The segment', schema: SegmentSchema } },
      errors: [400, 401, 404, 413, 415, 422],
      handler: async ({ db, caller, params, body }) => membership(db, caller, params.id, change, body.contact_ids),
    }),
  ),
];
