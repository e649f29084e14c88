// SEMANTICS.md "Segments", one meaning: for random contacts (odd values included) and random
// rules, Segment.contacts, contactCount, contacts(segmentId:), the export by segment and
// Contact.segments all agree with a small reference evaluator written from the semantics
// (reference.ts), on both databases.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { useService } from '../support/service.js';
import { createSegment, type SeedContact, seedContacts } from './helpers.js';
import { isMember, type RefContact, type RefRule, type RefSegment } from './reference.js';

const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

// Odd values on purpose: numbers as text, with commas or spaces, booleans, dates (one impossible),
// empty strings, unicode, LIKE wildcards. Dates relative to now sit far from the offsets' bounds.
const TEXTS = [
  '4500',
  '4,500',
  ' 12 ',
  '12',
  '12.0',
  '.5',
  'true',
  'TRUE',
  'false',
  '',
  'Enterprise',
  'enterprise',
  'pro',
  'Pro plan',
  'Ünïcødé',
  'ünïcødé',
  '日本語',
  'a%b_c',
  '2026-03-23',
  '2026-02-30',
  '2025-12-01T08:00:00+02:00',
  ' 2026-01-15 ',
  daysAgo(10).toISOString(),
  daysAgo(100).toISOString().slice(0, 10),
  daysAgo(400).toISOString(),
];
const RULE_TEXTS = [...TEXTS.filter(Boolean), 'ENTERPRISE', 'ent', 'PRISE', 'ÜNÏ', '@EXAMPLE.COM', 'c1@example.com', 'c1'];
const RULE_NUMBERS = ['1000', '12', '4500', '-3', '0', '12.5', ' 12 ', '.5'];
const RULE_INSTANTS = ['2026-01-01', '2025-12-01T06:00:00Z', '2026-03-23T00:00:00+01:00', '-30d', '-4w', '-6m', '-1y', '+1w'];
const CREATED = [daysAgo(5), daysAgo(45), daysAgo(200), new Date('2025-06-01T12:00:00.000Z')];

const TEXT_OPERATORS = ['EQUALS', 'NOT_EQUALS', 'CONTAINS', 'NOT_CONTAINS', 'STARTS_WITH', 'ENDS_WITH', 'IN', 'NOT_IN'];
const NUMBER_OPERATORS = ['GREATER_THAN', 'GREATER_THAN_OR_EQUAL', 'LESS_THAN', 'LESS_THAN_OR_EQUAL'];
const INSTANT_OPERATORS = ['BEFORE', 'AFTER'];
const PRESENCE_OPERATORS = ['EXISTS', 'NOT_EXISTS'];
const PROPERTY_KEYS = ['plan', 'ltv', 'seen', 'note'];

const FIELDS: Record<string, string[]> = {
  email: [...TEXT_OPERATORS, ...PRESENCE_OPERATORS],
  firstName: [...TEXT_OPERATORS, ...PRESENCE_OPERATORS],
  last_name: [...TEXT_OPERATORS, ...PRESENCE_OPERATORS],
  unsubscribed: [...TEXT_OPERATORS, ...PRESENCE_OPERATORS],
  created_at: [...INSTANT_OPERATORS, ...PRESENCE_OPERATORS],
  updatedAt: [...INSTANT_OPERATORS, ...PRESENCE_OPERATORS],
  ...Object.fromEntries(
    [...PROPERTY_KEYS, 'absent'].map((key) => [
      `properties.${key}`,
      [...TEXT_OPERATORS, ...NUMBER_OPERATORS, ...INSTANT_OPERATORS, ...PRESENCE_OPERATORS],
    ]),
  ),
};

const propertyValue = fc.oneof(fc.constantFrom(...TEXTS), fc.constantFrom(4500, 12.5, 12, -3, 0, 1000), fc.boolean());

const contactArb = fc.record({
  firstName: fc.option(fc.constantFrom(...TEXTS)),
  lastName: fc.option(fc.constantFrom(...TEXTS)),
  properties: fc.dictionary(fc.constantFrom(...PROPERTY_KEYS), propertyValue, { maxKeys: 4 }),
  unsubscribed: fc.boolean(),
  createdAt: fc.constantFrom(...CREATED),
});

const ruleArb: fc.Arbitrary<RefRule> = fc.constantFrom(...Object.keys(FIELDS)).chain((field) =>
  fc.constantFrom(...FIELDS[field]!).chain((operator): fc.Arbitrary<RefRule> => {
    if (PRESENCE_OPERATORS.includes(operator)) return fc.constant({ field, operator });
    if (operator === 'IN' || operator === 'NOT_IN')
      return fc.uniqueArray(fc.constantFrom(...RULE_TEXTS), { minLength: 1, maxLength: 4 }).map((values) => ({ field, operator, values }));
    const pool = NUMBER_OPERATORS.includes(operator) ? RULE_NUMBERS : INSTANT_OPERATORS.includes(operator) ? RULE_INSTANTS : RULE_TEXTS;
    return fc.constantFrom(...pool).map((value) => ({ field, operator, value }));
  }),
);

const segmentArb = fc.record({
  match: fc.constantFrom('ALL' as const, 'ANY' as const),
  rules: fc.array(ruleArb, { minLength: 1, maxLength: 4 }),
});

const worldArb = fc.record({
  contacts: fc.array(contactArb, { minLength: 3, maxLength: 12 }),
  segments: fc.array(segmentArb, { minLength: 1, maxLength: 4 }),
  staticMembers: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
});

const ids = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((edge) => edge.node.id).sort();
/** The ids of an exported CSV: the first column of every record (no value here holds a line break). */
const csvIds = (csv: string) => [...csv.matchAll(/^(ct_[a-z0-9]{20}),/gm)].map((match) => match[1]).sort();

describe.each(DATABASE_KINDS)('one meaning of segment membership on %s', (kind) => {
  const service = useService(kind);

  it('agrees with the reference evaluator everywhere a segment selects contacts', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (world) => {
        const account = await service().account();
        const seeds: SeedContact[] = world.contacts.map((contact, i) => ({ email: `c${i}@example.com`, ...contact }));
        const contactIds = await seedContacts(service().service.db.prisma, account.accountId, seeds);
        const contacts: RefContact[] = seeds.map((seed, i) => ({
          id: contactIds[i]!,
          email: seed.email,
          firstName: seed.firstName ?? null,
          lastName: seed.lastName ?? null,
          properties: seed.properties ?? {},
          unsubscribed: seed.unsubscribed ?? false,
          createdAt: seed.createdAt!,
          updatedAt: seed.createdAt!,
        }));

        const segments: RefSegment[] = [];
        for (const { match, rules } of world.segments) {
          const { id } = await createSegment(account, { name: 'random', type: 'DYNAMIC', match, rules });
          segments.push({ id, type: 'DYNAMIC', match, rules });
        }
        const members = contactIds.filter((_, i) => world.staticMembers[i]);
        const { id: staticId } = await createSegment(account, { name: 'static', type: 'STATIC' });
        await account.gql('mutation ($input: SegmentMembershipInput!) { addContactsToSegment(input: $input) { userErrors { code } } }', {
          input: { segmentId: staticId, contactIds: members },
        });
        segments.push({ id: staticId, type: 'STATIC', match: 'ALL', rules: [], members: new Set(members) });

        const bySegment = segments.map(
          (segment, i) => `
          s${i}: segment(id: "${segment.id}") { contactCount contacts(first: 20) { edges { node { id } } totalCount } }
          l${i}: contacts(segmentId: "${segment.id}", first: 20) { edges { node { id } } totalCount }
          e${i}: contactsCsv(segmentId: "${segment.id}")`,
        );
        const response = await account.gql(`{ ${bySegment.join('\n')}
          contacts(first: 20) { edges { node { id segments(first: 10) { edges { node { id } } totalCount } } } } }`);
        expect(response.errors).toBeUndefined();
        const now = new Date();

        segments.forEach((segment, i) => {
          const expected = contacts
            .filter((contact) => isMember(segment, contact, now))
            .map((contact) => contact.id)
            .sort();
          const context = JSON.stringify({ segment, contacts: contacts.filter((c) => !expected.includes(c.id)).length });
          expect(ids(response.data[`s${i}`].contacts), context).toEqual(expected);
          expect(response.data[`s${i}`].contactCount, context).toBe(expected.length);
          expect(response.data[`s${i}`].contacts.totalCount, context).toBe(expected.length);
          expect(ids(response.data[`l${i}`]), context).toEqual(expected);
          expect(csvIds(response.data[`e${i}`]), context).toEqual(expected);
        });
        for (const { node } of response.data.contacts.edges) {
          const contact = contacts.find((candidate) => candidate.id === node.id)!;
          const expected = segments
            .filter((segment) => isMember(segment, contact, now))
            .map((segment) => segment.id)
            .sort();
          expect(ids(node.segments), JSON.stringify(contact)).toEqual(expected);
          expect(node.segments.totalCount).toBe(expected.length);
        }
      }),
      { numRuns: 25 },
    );
  });
});
