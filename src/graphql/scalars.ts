import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { GraphQLUpload } from 'graphql-upload-minimal';
import { builder } from './builder.js';

builder.scalarType('DateTime', {
  description: 'ISO-8601 instant in UTC with milliseconds, e.g. 2026-03-23T10:00:00.000Z.',
  serialize: (value) => new Date(value as Date | string).toISOString(),
  parseValue: (value) => parseDate(value),
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : null),
});

builder.scalarType('JSONObject', {
  description: 'A flat JSON object of custom properties: keys to string, number or boolean values.',
  serialize: (value) => value,
  parseValue: (value) => asObject(value),
  parseLiteral: (ast, variables) => asObject(literalValue(ast, variables ?? {})),
});

builder.addScalarType('Upload', GraphQLUpload, {});

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an ISO-8601 date-time string');
  return date;
}

function asObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GraphQLError('JSONObject must be an object');
  }
  return value as Record<string, unknown>;
}

/** The JavaScript value of a literal, nested values included, so the domain can judge them. */
function literalValue(ast: ValueNode, variables: Record<string, unknown>): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((item) => literalValue(item, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((field) => [field.name.value, literalValue(field.value, variables)]));
    case Kind.VARIABLE:
      return variables[ast.name.value];
    default:
      throw new GraphQLError('JSONObject holds an unsupported literal');
  }
}
