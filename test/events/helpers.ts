// Reading an account's events as a client does: paging GET /events with next_cursor. On a shared
// PostgreSQL the feed holds back events while any transaction older than theirs still runs (in
// any database of the cluster), so a reader that expects events polls until they are there.
import { expect } from 'vitest';
import type { TestAccount, TestService } from '../support/service.js';
import { rest } from '../rest/helpers.js';

export interface EventJson {
  id: string;
  type: string;
  created_at: string;
  source: string;
  api_key_prefix: string | null;
  import_job_id: string | null;
  data: any;
  previous: any;
}

/** One page of GET /events. */
export async function eventPage(
  service: TestService,
  account: TestAccount,
  query = '',
): Promise<{ events: EventJson[]; next_cursor: string }> {
  const answer = await rest(service.url, account.apiKey, 'GET', `/events${query}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body;
}

/** A reader of the feed that remembers where it is: each call answers the events committed since the last. */
export function feedReader(service: TestService, account: TestAccount, types = '') {
  let cursor: string | null = null;
  return async function newEvents(expected = 0, timeoutMs = 15_000): Promise<EventJson[]> {
    const seen: EventJson[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const params = new URLSearchParams({ limit: '100', ...(cursor && { after: cursor }), ...(types && { types }) });
      const page = await eventPage(service, account, `?${params}`);
      expect(page.next_cursor).toEqual(expect.any(String));
      cursor = page.next_cursor;
      seen.push(...page.events);
      if (page.events.length === 100) continue;
      if (seen.length >= expected || Date.now() > deadline) return seen;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
}
