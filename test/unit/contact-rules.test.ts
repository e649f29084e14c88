// What a contact may hold: email, name and property rules, and the checked changes built from a
// mutation's fields, every error at its path relative to the input. Pure, no database.
import { describe, expect, it } from 'vitest';
import { checkContactFields, mergeProperties } from '../../src/core/contacts/changes.js';
import { checkEmail, checkName, checkProperties, isStorableText, splitPatch } from '../../src/core/contacts/rules.js';

describe('email', () => {
  it('is trimmed and lower-cased, and must be a plausible address of at most 254 characters', () => {
    expect(checkEmail('  Ann@Example.COM ', ['email'])).toEqual({ ok: true, value: 'ann@example.com' });
    for (const bad of ['ann', 'ann@', '@example.com', 'ann@example', 'a b@example.com', 'ann@exa_mple.com', 'ann@.com']) {
      expect(checkEmail(bad, ['email'])).toMatchObject({ ok: false, error: { code: 'INVALID', path: ['email'] } });
    }
    expect(checkEmail(`${'a'.repeat(250)}@example.com`, ['email'])).toMatchObject({ ok: false, error: { code: 'TOO_LONG' } });
    expect(checkEmail('', ['email'])).toMatchObject({ ok: false, error: { message: 'email is required' } });
  });
});

describe('names', () => {
  it('are trimmed, an empty one stored as null, at most 200 characters of storable text', () => {
    expect(checkName('  Ann ', 'firstName', ['firstName'])).toEqual({ ok: true, value: 'Ann' });
    expect(checkName('   ', 'firstName', ['firstName'])).toEqual({ ok: true, value: null });
    expect(checkName('x'.repeat(201), 'lastName', ['lastName'])).toMatchObject({
      ok: false,
      error: { code: 'TOO_LONG', message: 'lastName must be at most 200 characters' },
    });
    expect(checkName('a\u0000b', 'lastName', ['lastName'])).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    expect(isStorableText('\ud83d\ude00')).toBe(true);
    expect(isStorableText('\ud83d')).toBe(false);
  });
});

describe('properties', () => {
  it('take keys of the key rule and string, number or boolean values; null only where it removes', () => {
    expect(checkProperties({ plan: 'pro', seats: 3, vip: true }, ['properties'], { allowNull: false })).toEqual({
      ok: true,
      value: { plan: 'pro', seats: 3, vip: true },
    });
    expect(checkProperties({ old: null }, ['properties'], { allowNull: true })).toEqual({ ok: true, value: { old: null } });
    const refusals: [Record<string, unknown>, string][] = [
      [{ old: null }, 'property values must be strings'],
      [{ '1st': 'x' }, 'property keys are'],
      // Parsed JSON holds "__proto__" as a key (a literal would set the prototype instead).
      [JSON.parse('{"__proto__": "x"}') as Record<string, unknown>, 'property keys are'],
      [{ n: Number.POSITIVE_INFINITY }, 'finite'],
      [{ o: { a: 1 } }, 'no objects'],
      [{ long: 'x'.repeat(2001) }, 'at most 2000'],
    ];
    for (const [raw, message] of refusals) {
      const checked = checkProperties(raw, ['properties'], { allowNull: false });
      expect(checked).toMatchObject({
        ok: false,
        error: { path: ['properties', Object.keys(raw)[0]], message: expect.stringContaining(message) },
      });
    }
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i]));
    expect(checkProperties(many, ['properties'], { allowNull: false })).toMatchObject({
      ok: false,
      error: { code: 'LIMIT_EXCEEDED', path: ['properties'] },
    });
  });

  it('patch: given keys set, null ones removed', () => {
    expect(splitPatch({ a: 1, b: null })).toEqual({ set: { a: 1 }, remove: ['b'] });
    expect(mergeProperties({ a: 0, b: 2, c: 3 }, { a: 1, b: null })).toEqual({ a: 1, c: 3 });
  });
});

describe("a mutation's contact fields", () => {
  it('become the changes to store', () => {
    expect(
      checkContactFields(
        { email: ' A@Example.com', firstName: ' Ann ', lastName: null, properties: { plan: 'pro' }, unsubscribed: true },
        { propertyNulls: false },
      ),
    ).toEqual({
      ok: true,
      value: { email: 'a@example.com', firstName: 'Ann', lastName: null, properties: { plan: 'pro' }, unsubscribed: true },
    });
  });

  it('report every bad field at its path relative to the input', () => {
    const checked = checkContactFields({ email: null, firstName: 'x'.repeat(201), properties: { 'bad key': 1 } }, { propertyNulls: true });
    expect(checked).toMatchObject({
      ok: false,
      errors: [
        { code: 'INVALID', path: ['email'] },
        { code: 'TOO_LONG', path: ['firstName'] },
        { code: 'INVALID', path: ['properties', 'bad key'] },
      ],
    });
  });
});
