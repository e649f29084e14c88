// Contacts read with raw SQL come back in the shape Prisma gives: select CONTACT_COLUMNS from
// `contacts c` and pass each row through toContact, so every raw reader agrees with the client.
import { type Contact, Prisma } from '../../../db/generated/prisma/client.js';

export type ContactField = keyof Contact;

/** The column of each field of the Prisma model, named as the field. */
const COLUMN_OF: Record<ContactField, Prisma.Sql> = {
  id: Prisma.sql`c.id`,
  accountId: Prisma.sql`c.account_id AS "accountId"`,
  email: Prisma.sql`c.email`,
  firstName: Prisma.sql`c.first_name AS "firstName"`,
  lastName: Prisma.sql`c.last_name AS "lastName"`,
  properties: Prisma.sql`c.properties`,
  unsubscribed: Prisma.sql`c.unsubscribed`,
  unsubscribedAt: Prisma.sql`c.unsubscribed_at AS "unsubscribedAt"`,
  createdAt: Prisma.sql`c.created_at AS "createdAt"`,
  updatedAt: Prisma.sql`c.updated_at AS "updatedAt"`,
};
const FIELDS = Object.keys(COLUMN_OF) as ContactField[];

/** Every column of `contacts c`, named as the Prisma model's fields. */
export const CONTACT_COLUMNS = contactColumns(FIELDS);

/** The columns of these fields only, in the model's order. */
export function contactColumns(fields: Iterable<ContactField>): Prisma.Sql {
  const wanted = new Set(fields);
  return Prisma.join(FIELDS.filter((field) => wanted.has(field)).map((field) => COLUMN_OF[field]));
}

/** The fields every reader of contacts gets, as they are cheap to send and read. */
export const ALWAYS_READ = ['id', 'accountId', 'email', 'firstName', 'lastName', 'unsubscribed'] as const satisfies readonly ContactField[];
type AlwaysRead = (typeof ALWAYS_READ)[number];

/**
 * A contact read for a reader that needs only some of its fields (see listing.ts, ContactFields):
 * those it needs are there, and so are the cheap ones; the others are absent.
 */
export type PartialContact = Pick<Contact, AlwaysRead> & Partial<Contact>;

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

/** A whole row as a contact (a row holding every column maps to every field). */
export function toContact(row: ContactRow): Contact {
  return toPartialContact(row) as Contact;
}

/** A row selected with contactColumns(…), holding the cheap columns and some of the others. */
export type PartialContactRow = Pick<ContactRow, AlwaysRead> & Partial<ContactRow>;

/** A row of contactColumns(…): the fields it holds, mapped as toContact maps them. */
export function toPartialContact(row: PartialContactRow): PartialContact {
  const contact: PartialContact = {
    id: row.id,
    accountId: row.accountId,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    unsubscribed: row.unsubscribed,
  };
  if (row.properties !== undefined) contact.properties = asJson(row.properties);
  if (row.unsubscribedAt !== undefined) contact.unsubscribedAt = row.unsubscribedAt === null ? null : asDate(row.unsubscribedAt);
  if (row.createdAt !== undefined) contact.createdAt = asDate(row.createdAt);
  if (row.updatedAt !== undefined) contact.updatedAt = asDate(row.updatedAt);
  return contact;
}

// Both drivers parse jsonb and timestamptz already; text is accepted too, so a row from any client
// (pg without Prisma, a JSON aggregate) maps the same way.
const asJson = (value: unknown): Prisma.JsonValue =>
  typeof value === 'string' ? (JSON.parse(value) as Prisma.JsonValue) : (value as Prisma.JsonValue);

/** The driver's own Date as it is (a page makes 40 of them), text parsed. */
const asDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));
