// EVENTS.md "The subscription": subscription { events(types, after) } over Yoga's Server-Sent
// Events, authenticated like every request: with after, it replays what followed the cursor,
// then goes live, with no gap and no duplicate at the seam; only the caller's account's events.
import { describe, expect, it } from 'vitest';
import { LiveEvents } from '../../src/core/events/service.js';
import { openDatabase } from '../../src/db/database.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestService, type TestAccount, useService } from '../support/service.js';
import { eventPage, feedReader } from './helpers.js';

const CREATE = `mutation ($input: CreateContactInput!) { createContact(input: $input) { contact { id } userErrors { code } } }`;
const SUBSCRIBE = `subscription ($after: String, $types: [EventType!]) {
  events(after: $after, types: $types) { id type source payload } }`;

interface Stream {
  status: number;
  contentType: string | null;
  /** The next `next` message's data (or the error body of a refused subscription). */
  next(timeoutMs?: number): Promise<any>;
  close(): void;
}

/** Opens the subscription as an SSE client does: POST /graphql with accept: text/event-stream. */
async function subscribe(url: string, apiKey: string | null, variables: Record<string, unknown>): Promise<Stream> {
  const abort = new AbortController();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(apiKey && { authorization: `Bearer ${apiKey}` }) },
    body: JSON.stringify({ query: SUBSCRIBE, variables }),
    signal: abort.signal,
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const messages: any[] = [];
  const next = async (timeoutMs = 10_000): Promise<any> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('\n');
        if (event === 'next' || (!event && data)) messages.push(JSON.parse(data));
        if (event === 'complete') messages.push({ complete: true });
      }
      if (messages.length) return messages.shift();
      const read = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no message in time')), Math.max(0, deadline - Date.now()))),
      ]);
      if (read.done) return { complete: true };
      buffer += read.value;
    }
  };
  return { status: response.status, contentType: response.headers.get('content-type'), next, close: () => abort.abort() };
}

describe.each(DATABASE_KINDS)('the events subscription over SSE on %s', (kind) => {
  const service = useService(kind);

  async function create(account: TestAccount, email: string): Promise<string> {
    const answer = await account.gql(CREATE, { input: { email } });
    expect(answer.data.createContact.userErrors).toEqual([]);
    return answer.data.createContact.contact.id;
  }

  it('replays what followed the cursor, then goes live: every event once, in order, only its account', async () => {
    const account = await service().account();
    const other = await service().account('Other');
    await create(account, 'one@example.com');
    await feedReader(service(), account)(1);
    const cursor = (await eventPage(service(), account, '?limit=1')).next_cursor;
    await create(account, 'two@example.com');
    await create(account, 'three@example.com');
    await feedReader(service(), account)(3);

    const stream = await subscribe(service().url, account.apiKey, { after: cursor });
    try {
      expect(stream.status).toBe(200);
      expect(stream.contentType).toMatch(/^text\/event-stream/);
      const replayed = [await stream.next(), await stream.next()];
      expect(replayed.map((message) => message.data.events.payload.data.email)).toEqual(['two@example.com', 'three@example.com']);
      expect(replayed[0].data.events).toMatchObject({ type: 'CONTACT_CREATED', source: 'GRAPHQL', id: replayed[0].data.events.payload.id });

      // Live: another account's change is not seen; ours arrive as they commit, each once.
      await create(other, 'elsewhere@example.com');
      const fourId = await create(account, 'four@example.com');
      await account.gql(`mutation ($id: ID!) { updateContact(input: { id: $id, firstName: "Four" }) { contact { id } } }`, { id: fourId });
      const live = [await stream.next(), await stream.next()];
      expect(live.map((message) => [message.data.events.type, message.data.events.payload.data.email])).toEqual([
        ['CONTACT_CREATED', 'four@example.com'],
        ['CONTACT_UPDATED', 'four@example.com'],
      ]);
      const page = await feedReader(service(), account)(5);
      expect([...replayed, ...live].map((message) => message.data.events.id)).toEqual(page.slice(1).map((event) => event.id));
    } finally {
      stream.close();
    }
  });

  it('without after starts live; types filter; bad cursors are refused; a missing key is 401', async () => {
    const account = await service().account();
    await create(account, 'before@example.com');
    await feedReader(service(), account)(1);
    const stream = await subscribe(service().url, account.apiKey, { types: ['CONTACT_DELETED'] });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300)); // the stream has read the tail
      const id = await create(account, 'gone@example.com');
      await account.gql(`mutation ($id: ID!) { deleteContact(input: { id: $id }) { deletedContactId } }`, { id });
      const message = await stream.next();
      expect(message.data.events).toMatchObject({ type: 'CONTACT_DELETED', payload: { data: { id, email: 'gone@example.com' } } });
    } finally {
      stream.close();
    }

    const refused = await subscribe(service().url, account.apiKey, { after: 'nonsense' });
    const answer = await refused.next();
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    refused.close();

    const anonymous = await fetch(`${service().url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: SUBSCRIBE }),
    });
    expect(anonymous.status).toBe(401);
  });
});

describe.each(DATABASE_KINDS)('event notifications across instances on %s', (kind) => {
  it("wake another instance's subscribers of the account at commit, not at its next poll", async () => {
    const service = await startTestService(kind);
    // PostgreSQL: a second instance on the same database; PGlite has one process per data directory.
    const other = kind === 'postgres' ? await openDatabase(service.scratch.config) : service.service.db;
    const live = new LiveEvents(other, 60_000);
    try {
      await live.start();
      const account = await service.account();
      const bystander = await service.account('Bystander');
      const mine = live.subscribe(account.accountId);
      const theirs = live.subscribe(bystander.accountId);
      let theirsWoken = false;
      void theirs.next().then(() => (theirsWoken = true));
      const woken = mine.next();
      const started = Date.now();
      await account.gql(CREATE, { input: { email: 'wake@example.com' } });
      expect(await woken).toBe(true);
      expect(Date.now() - started).toBeLessThan(10_000); // the poll would take 60 s
      expect(theirsWoken).toBe(false);
      mine.close();
      theirs.close();
    } finally {
      await live.stop();
      if (other !== service.service.db) await other.close();
      await service.stop();
    }
  });
});
