// EVENTS.md's `previous`: only the fields that changed, with their old values, never updated_at;
// properties key by key (a removed key with its old value, an added one as null); no event for a
// change of nothing. The rule is the database's (event_previous, contact_update_type), used by
// every statement that writes events, so it is tested there, on both databases.
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { useService } from '../support/service.js';

const contact = {
  id: 'ct_aaaaaaaaaaaaaaaaaaaa',
  email: 'alice@example.com',
  first_name: 'Alice',
  last_name: 'Smith',
  properties: { plan: 'pro', seats: 3, trial: true } as Record<string, unknown>,
  unsubscribed: false,
  unsubscribed_at: null as string | null,
  created_at: '2026-03-23T12:00:00.000Z',
  updated_at: '2026-03-23T12:00:00.000Z',
};

describe.each(DATABASE_KINDS)('an event’s previous on %s', (kind) => {
  const service = useService(kind);

  async function previousOf(before: object, after: object): Promise<unknown> {
    const [row] = await service().service.db.prisma.$queryRaw<{ previous: unknown }[]>`
      SELECT event_previous(${JSON.stringify(before)}::jsonb, ${JSON.stringify(after)}::jsonb) AS previous`;
    return row!.previous;
  }

  async function updateType(before: object, after: object): Promise<string> {
    const [row] = await service().service.db.prisma.$queryRaw<{ type: string }[]>`
      SELECT contact_update_type(${JSON.stringify(before)}::jsonb, ${JSON.stringify(after)}::jsonb) AS type`;
    return row!.type;
  }

  it('is empty when nothing but updated_at changed', async () => {
    expect(await previousOf(contact, { ...contact, updated_at: '2026-03-24T00:00:00.000Z' })).toEqual({});
  });

  it('lists only the changed fields, with their old values', async () => {
    expect(await previousOf(contact, { ...contact, first_name: 'Alicia', last_name: null, updated_at: 'later' })).toEqual({
      first_name: 'Alice',
      last_name: 'Smith',
    });
  });

  it('compares properties key by key: changed and removed keys with their old value, added ones as null', async () => {
    const after = { ...contact, properties: { plan: 'enterprise', seats: 3, region: 'eu' } };
    expect(await previousOf(contact, after)).toEqual({ properties: { plan: 'pro', trial: true, region: null } });
  });

  it('ignores the order of keys', async () => {
    expect(await previousOf(contact, { ...contact, properties: { trial: true, seats: 3, plan: 'pro' } })).toEqual({});
  });

  it('compares nested values (segment rules) as a whole', async () => {
    const segment = { name: 'A', rules: [{ field: 'email', operator: 'contains', value: 'a' }], updated_at: 'x' };
    expect(await previousOf(segment, { ...segment, rules: [{ field: 'email', operator: 'contains', value: 'b' }] })).toEqual({
      rules: segment.rules,
    });
    expect(await previousOf(segment, { ...segment, rules: [{ value: 'a', operator: 'contains', field: 'email' }] })).toEqual({});
  });

  it('names a contact’s update contact.updated, or contact.unsubscribed / contact.resubscribed when that changed', async () => {
    const unsubscribed = { ...contact, unsubscribed: true, unsubscribed_at: '2026-03-24T00:00:00.000Z', first_name: 'A' };
    expect(await updateType(contact, { ...contact, email: 'a@example.com' })).toBe('contact.updated');
    expect(await updateType(contact, unsubscribed)).toBe('contact.unsubscribed');
    expect(await previousOf(contact, unsubscribed)).toEqual({ unsubscribed: false, unsubscribed_at: null, first_name: 'Alice' });
    expect(await updateType(unsubscribed, contact)).toBe('contact.resubscribed');
  });
});
