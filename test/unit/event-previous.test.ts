// EVENTS.md's `previous`: only the fields that changed, with their old values, never updated_at;
// properties key by key (a removed key with its old value, an added one as null).
import { describe, expect, it } from 'vitest';
import { contactUpdateEvent, previousOf } from '../../src/core/events/event.js';

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

describe('previousOf', () => {
  it('is empty when nothing but updated_at changed', () => {
    expect(previousOf(contact, { ...contact, updated_at: '2026-03-24T00:00:00.000Z' })).toEqual({});
  });

  it('lists only the changed fields, with their old values', () => {
    expect(previousOf(contact, { ...contact, first_name: 'Alicia', last_name: null, updated_at: 'later' })).toEqual({
      first_name: 'Alice',
      last_name: 'Smith',
    });
  });

  it('compares properties key by key: changed and removed keys with their old value, added ones as null', () => {
    const after = { ...contact, properties: { plan: 'enterprise', seats: 3, region: 'eu' } };
    expect(previousOf(contact, after)).toEqual({ properties: { plan: 'pro', trial: true, region: null } });
  });

  it('ignores the order of keys', () => {
    expect(previousOf(contact, { ...contact, properties: { trial: true, seats: 3, plan: 'pro' } })).toEqual({});
  });

  it('compares nested values (segment rules) as a whole', () => {
    const segment = { name: 'A', rules: [{ field: 'email', operator: 'contains', value: 'a' }], updated_at: 'x' };
    expect(previousOf(segment, { ...segment, rules: [{ field: 'email', operator: 'contains', value: 'b' }] })).toEqual({
      rules: segment.rules,
    });
    expect(previousOf(segment, { ...segment, rules: [{ value: 'a', operator: 'contains', field: 'email' }] })).toEqual({});
  });
});

describe('contactUpdateEvent', () => {
  it('makes no event for a change that changes nothing', () => {
    expect(contactUpdateEvent(contact, { ...contact, updated_at: 'later' })).toBeNull();
  });

  it('is contact.updated for other changes', () => {
    expect(contactUpdateEvent(contact, { ...contact, email: 'a@example.com' })).toEqual({
      type: 'contact.updated',
      contactId: contact.id,
      data: { ...contact, email: 'a@example.com' },
      previous: { email: 'alice@example.com' },
    });
  });

  it('is contact.unsubscribed for an unsubscribe, listing the other changed fields too', () => {
    const after = { ...contact, unsubscribed: true, unsubscribed_at: '2026-03-24T00:00:00.000Z', first_name: 'A' };
    expect(contactUpdateEvent(contact, after)).toMatchObject({
      type: 'contact.unsubscribed',
      previous: { unsubscribed: false, unsubscribed_at: null, first_name: 'Alice' },
    });
  });

  it('is contact.resubscribed for a resubscribe', () => {
    const before = { ...contact, unsubscribed: true, unsubscribed_at: '2026-03-24T00:00:00.000Z' };
    expect(contactUpdateEvent(before, contact)).toMatchObject({
      type: 'contact.resubscribed',
      previous: { unsubscribed: true, unsubscribed_at: '2026-03-24T00:00:00.000Z' },
    });
  });
});
