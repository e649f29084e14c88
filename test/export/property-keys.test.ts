// A whole-account export takes its property columns from contact_property_keys, counts kept by
// triggers as contacts are written. The header must still name exactly the keys some contact
// holds, through every way a contact is written: create, update (merge, a key set to null),
// upsert, import, delete one or many, and in another account nothing moves.
import { describe, expect, it } from 'vitest';
import { createContact } from '../contacts/helpers.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { useService } from '../support/service.js';
import { exportCsv, postCsv } from '../import/helpers.js';

const HEADER = 'id,email,first_name,last_name,unsubscribed,created_at,updated_at';

describe.each(DATABASE_KINDS)('property columns on %s', (kind) => {
  const service = useService(kind);

  /** The kept counts beside the same counts read off the contacts themselves. */
  async function counts(accountId: string) {
    const session = service().service.db;
    const kept = await session.withSession((s) =>
      s.query<{ key: string; contacts: string }>(
        `SELECT key, contacts::text FROM contact_property_keys WHERE account_id = $1 AND contacts <> 0 ORDER BY key`,
        [accountId],
      ),
    );
    const actual = await session.withSession((s) =>
      s.query<{ key: string; contacts: string }>(
        `SELECT k.key, count(*)::text AS contacts FROM contacts c, jsonb_object_keys(c.properties) AS k(key) WHERE c.account_id = $1 GROUP BY 1 ORDER BY 1`,
        [accountId],
      ),
    );
    return { kept, actual };
  }

  async function header(apiKey: string): Promise<string> {
    return (await exportCsv(service(), apiKey)).text.split('\n')[0]!;
  }

  it('names exactly the keys some contact holds, through every kind of write', async () => {
    const account = await service().account();
    const other = await service().account('other');
    await createContact(other, { email: 'o@example.com', properties: { elsewhere: 'x' } });

    const a = await createContact(account, { email: 'a@example.com', properties: { plan: 'pro', seats: 3 } });
    const b = await createContact(account, { email: 'b@example.com', properties: { plan: 'free' } });
    expect(await header(account.apiKey)).toBe(`${HEADER},plan,seats`);

    // A merge that adds one key and removes another; an update of values alone.
    await account.gql('mutation ($input: UpdateContactInput!) { updateContact(input: $input) { userErrors { code } } }', {
      input: { id: a.id, properties: { seats: null, region: 'eu' } },
    });
    await account.gql('mutation ($input: UpdateContactInput!) { updateContact(input: $input) { userErrors { code } } }', {
      input: { id: b.id, properties: { plan: 'team' } },
    });
    expect(await header(account.apiKey)).toBe(`${HEADER},plan,region`);

    await account.gql('mutation ($input: UpsertContactsInput!) { upsertContacts(input: $input) { created } }', {
      input: {
        contacts: [
          { email: 'a@example.com', properties: { tier: '1' } },
          { email: 'c@example.com', properties: { tier: '2' } },
        ],
      },
    });
    await postCsv(service(), account.apiKey, 'email,source\nb@example.com,fair\nd@example.com,web\n');
    expect(await header(account.apiKey)).toBe(`${HEADER},plan,region,source,tier`);

    await account.gql('mutation ($input: DeleteContactInput!) { deleteContact(input: $input) { deletedContactId } }', {
      input: { id: a.id },
    });
    expect(await header(account.apiKey)).toBe(`${HEADER},plan,source,tier`);

    const { kept, actual } = await counts(account.accountId);
    expect(kept).toEqual(actual);

    const rest = (await account.gql('{ contacts(first: 10) { edges { node { id } } } }')).data.contacts.edges.map(
      (edge: any) => edge.node.id,
    );
    await account.gql(
      'mutation ($input: DeleteContactsInput!) { deleteContacts(input: $input) { deletedContactIds userErrors { code } } }',
      { input: { ids: rest } },
    );
    expect(await header(account.apiKey)).toBe(HEADER);
    expect((await counts(account.accountId)).kept).toEqual([]);
    expect(await header(other.apiKey)).toBe(`${HEADER},elsewhere`);
    const elsewhere = await counts(other.accountId);
    expect(elsewhere.kept).toEqual([{ key: 'elsewhere', contacts: '1' }]);
  });
});
