// Contacts read with raw SQL come back in the shape Prisma gives: select CONTACT_COLUMNS from
// `contacts c` and pass each row through toContact, so every raw reader agrees with the client.
import { type Contact, Prisma } from '../../../db/generated/prisma/client.js';

/** Every column of `contacts c`, named as the Prisma model's fields. */
export const CONTACT_COLUMNS = Prisma.sql`c.id, c.account_id AS "accountId", c.email, c.first_name AS "firstName",
  c.last_name AS "lastName", c.properties, c.unsubscribed, c.unsubscribed_at AS "unsubscribedAt",
  c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;

/** A row selected with CONTACT_COLUMNS, as the drivers return it. */
export interface ContactRow {
  id: string;
  accountId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  properties: unknown;
  unsubscribed: boolean;
  unsubscribedAt: Date | string | null;
  createdAt: Date | string;
  updatedAt: Date | string;
}

export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    accountId: row.accountId,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    unsubscribed: row.unsubscribed,
    // Both drivers parse jsonb and timestamptz already; text is accepted too, so a row from any
    // client (pg without Prisma, a JSON aggregate) maps the same way.
    properties:
      typeof row.properties === 'string' ? (JSON.parse(row.properties) as Prisma.JsonValue) : (row.properties as Prisma.JsonValue),
    unsubscribedAt: row.unsubscribedAt === null ? null : asDate(row.unsubscribedAt),
    createdAt: asDate(row.createdAt),
    updatedAt: asDate(row.updatedAt),
  };
}

/** The driver's own Date as it is (a page makes 40 of them), text parsed. */
const asDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));
