// The segment rule check and the rule-field table it shares with the SQL compiler: pure, no database.
import type { GraphQLInputObjectType, GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/index.js';
import { checkNewSegment } from '../../src/core/segments/definition.js';
import { normaliseField, RULE_FIELD_LIST, RULE_FIELDS, ruleColumn } from '../../src/core/segments/fields.js';
import { SEGMENT_OPERATORS } from '../../src/core/segments/operators.js';
import { compileRule } from '../../src/core/segments/repository/compile.js';
import { checkRules, SEGMENT_LIMITS, type SegmentRuleInput } from '../../src/core/segments/rules.js';

describe('the rule-field table', () => {
  it('names the fields SEMANTICS.md lists, in the order the API documents them', () => {
    expect(RULE_FIELDS.map((field) => field.name)).toEqual([
      'email',
      'first_name',
      'last_name',
      'unsubscribed',
      'created_at',
      'updated_at',
    ]);
    expect(RULE_FIELD_LIST).toBe('email, first_name, last_name, unsubscribed, created_at, updated_at or properties.<key>');
  });

  it('is the list the GraphQL schema documents for a rule field, read and written', () => {
    const ruleType = schema.getType('SegmentRule') as GraphQLObjectType;
    const inputType = schema.getType('SegmentRuleInput') as GraphQLInputObjectType;
    expect(ruleType.getFields().field!.description).toBe(`${RULE_FIELD_LIST}.`);
    expect(inputType.getFields().field!.description).toBe(`${RULE_FIELD_LIST} (camelCase accepted).`);
  });

  it('reads every spelling, camelCase included, as the stored one; anything else is no field', () => {
    for (const field of RULE_FIELDS)
      for (const spelling of [field.name, ...field.aliases]) expect(normaliseField(spelling)).toBe(field.name);
    expect(normaliseField('firstName')).toBe('first_name');
    expect(normaliseField('properties.plan')).toBe('properties.plan');
    expect(normaliseField('properties.__proto__')).toBeNull();
    expect(normaliseField('properties.')).toBeNull();
    expect(normaliseField('phone')).toBeNull();
    expect(normaliseField('FIRST_NAME')).toBeNull();
    expect(ruleColumn('firstName')).toBeUndefined(); // a column is named by its stored spelling
  });

  it('lets text columns take the text and presence operators, instants the instant and presence ones', () => {
    const text = ['EQUALS', 'NOT_EQUALS', 'CONTAINS', 'NOT_CONTAINS', 'STARTS_WITH', 'ENDS_WITH', 'IN', 'NOT_IN', 'EXISTS', 'NOT_EXISTS'];
    for (const name of ['email', 'first_name', 'last_name', 'unsubscribed'])
      expect([...ruleColumn(name)!.operators].sort()).toEqual([...text].sort());
    for (const name of ['created_at', 'updated_at'])
      expect([...ruleColumn(name)!.operators].sort()).toEqual(['AFTER', 'BEFORE', 'EXISTS', 'NOT_EXISTS']);
  });

  it('compiles every operator each field takes, with every value as a parameter', () => {
    const fields = [...RULE_FIELDS.map((field) => field.name), 'properties.plan'];
    for (const field of fields) {
      const operators = ruleColumn(field)?.operators ?? new Set(SEGMENT_OPERATORS);
      for (const operator of operators) {
        const sql = compileRule({ field, operator, value: 'v"; DROP TABLE contacts; --', values: ['a', 'b'] });
        expect(sql.sql).not.toContain('DROP TABLE');
      }
    }
    expect(() => compileRule({ field: 'phone', operator: 'EQUALS', value: 'x' })).toThrow(/no rule field/);
  });
});

describe('checking rules', () => {
  it('stores the normalised field and only the value or values the operator takes', () => {
    const checked = checkRules(
      [
        { field: 'firstName', operator: 'EQUALS', value: 'Ann', values: null },
        { field: 'properties.plan', operator: 'IN', values: ['pro', 'team'] },
        { field: 'createdAt', operator: 'AFTER', value: '-30d' },
        { field: 'email', operator: 'EXISTS' },
      ],
      ['rules'],
    );
    expect(checked).toEqual({
      ok: true,
      rules: [
        { field: 'first_name', operator: 'EQUALS', value: 'Ann' },
        { field: 'properties.plan', operator: 'IN', values: ['pro', 'team'] },
        { field: 'created_at', operator: 'AFTER', value: '-30d' },
        { field: 'email', operator: 'EXISTS' },
      ],
    });
  });

  it('reports each problem at its path relative to the input, naming the rule', () => {
    const inputs: SegmentRuleInput[] = [
      { field: 'email', operator: 'EQUALS', value: 'a@example.com' },
      { field: 'created_at', operator: 'CONTAINS', value: '2026' },
      { field: 'phone', operator: 'EQUALS', value: 'x' },
      { field: 'properties.n', operator: 'GREATER_THAN', value: 'ten' },
      { field: 'email', operator: 'IN', value: 'x' },
      { field: 'updated_at', operator: 'BEFORE', value: 'yesterday' },
    ];
    const checked = checkRules(inputs, ['rules']);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors.map((error) => [error.code, error.path])).toEqual([
      ['INVALID', ['rules', 1, 'operator']],
      ['INVALID', ['rules', 2, 'field']],
      ['INVALID', ['rules', 3, 'value']],
      ['INVALID', ['rules', 4, 'value']],
      ['INVALID', ['rules', 4, 'values']],
      ['INVALID', ['rules', 5, 'value']],
    ]);
    expect(checked.errors[0]!.message).toBe('rule 1: created_at compares as an instant, so CONTAINS cannot hold for it');
    expect(checked.errors[1]!.message).toContain(`use ${RULE_FIELD_LIST}`);
  });

  it('holds rules, values and value lengths to their limits', () => {
    const many = Array.from({ length: SEGMENT_LIMITS.rules + 1 }, () => ({ field: 'email', operator: 'EXISTS' as const }));
    expect(checkRules(many, ['rules'])).toMatchObject({ ok: false, errors: [{ code: 'LIMIT_EXCEEDED', path: ['rules'] }] });
    const values = Array.from({ length: SEGMENT_LIMITS.values + 1 }, (_, i) => String(i));
    expect(checkRules([{ field: 'email', operator: 'IN', values }], ['rules'])).toMatchObject({
      ok: false,
      errors: [{ code: 'LIMIT_EXCEEDED', path: ['rules', 0, 'values'] }],
    });
    const long = 'x'.repeat(SEGMENT_LIMITS.valueLength + 1);
    expect(checkRules([{ field: 'email', operator: 'CONTAINS', value: long }], ['rules'])).toMatchObject({
      ok: false,
      errors: [{ code: 'TOO_LONG', path: ['rules', 0, 'value'] }],
    });
    expect(checkRules([{ field: 'email', operator: 'IN', values: ['a', ''] }], ['rules'])).toMatchObject({
      ok: false,
      errors: [{ message: expect.stringContaining('values[1] is empty') }],
    });
  });

  it('checks a segment definition by its type, at paths relative to the input', () => {
    expect(checkNewSegment('STATIC', { name: '  ', rules: [{ field: 'email', operator: 'EXISTS' }] })).toMatchObject({
      ok: false,
      errors: [
        { code: 'INVALID', path: ['name'] },
        { code: 'INVALID', path: ['rules'] },
      ],
    });
    expect(checkNewSegment('DYNAMIC', { name: 'Pro' })).toMatchObject({
      ok: false,
      errors: [{ code: 'INVALID', path: ['rules'], message: expect.stringContaining('at least one rule') }],
    });
    expect(checkNewSegment('DYNAMIC', { name: ' Pro ', rules: [{ field: 'properties.plan', operator: 'EQUALS', value: 'pro' }] })).toEqual({
      ok: true,
      value: { name: 'Pro', rules: [{ field: 'properties.plan', operator: 'EQUALS', value: 'pro' }] },
    });
  });
});
