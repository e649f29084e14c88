// Who makes a change, as the events record it (EVENTS.md): the account, the surface (`source`)
// and the visible prefix of the API key. Every surface builds one and hands it to the write
// services, which write it into the events of the change.
import { visiblePrefix } from '../accounts/keys.js';

export const EVENT_SOURCES = ['graphql', 'rest', 'import', 'cli'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

export interface Caller {
  accountId: string;
  source: EventSource;
  /** The key's first 16 characters (sk_live_ and 8 more), as the CLI shows it; null when no key made the change. */
  apiKeyPrefix: string | null;
}

/** The caller of a request authenticated with `apiKey` (the whole key, or null). */
export function callerOf(accountId: string, source: EventSource, apiKey: string | null): Caller {
  return { accountId, source, apiKeyPrefix: apiKey ? visiblePrefix(apiKey) : null };
}
