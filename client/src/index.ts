// The typed client of the contacts service's REST API (REST.md, The typed client): ESM, nothing
// beyond the fetch standard (fetch, FormData, Blob), its types generated from openapi.json into
// ./openapi.ts (`npm run client:types`).
//
//   const contacts = new ContactsClient('sk_live_…', { baseUrl: 'http://localhost:4000' });
//   const alice = await contacts.contacts.create({ email: 'alice@example.com', first_name: 'Alice' });
//
// Every call answers the route's JSON; every non-2xx answer is a thrown ContactsApiError.
import type { components, operations } from './openapi.js';

export type { components, operations, paths } from './openapi.js';

type Operation = keyof operations;
type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
/** The JSON a route answers with `status`. */
type Answer<K extends Operation, Status extends keyof operations[K]['responses']> = JsonOf<operations[K]['responses'][Status]>;
type BodyOf<K extends Operation> = JsonOf<NonNullable<operations[K]['requestBody']>>;
type QueryOf<K extends Operation> = NonNullable<operations[K]['parameters']['query']>;

export type Contact = Answer<'getContact', 200>;
export type ContactPage = Answer<'listContacts', 200>;
export type Pagination = ContactPage['pagination'];
export type CreateContactInput = BodyOf<'createContact'>;
export type UpdateContactInput = BodyOf<'updateContact'>;
export type ContactListQuery = QueryOf<'listContacts'>;
export type Subscription = Answer<'unsubscribeContact', 200>;
export type Deleted = Answer<'deleteContact', 200>;
export type Segment = Answer<'getSegment', 200>;
export type SegmentPage = Answer<'listSegments', 200>;
export type SegmentListQuery = QueryOf<'listSegments'>;
export type CreateSegmentInput = BodyOf<'createSegment'>;
export type UpdateSegmentInput = BodyOf<'updateSegment'>;
export type SegmentRule = NonNullable<CreateSegmentInput['rules']>[number];
export type ImportResult = Answer<'importContacts', 200>;
export type ImportJob = Answer<'getImportJob', 200>;
export type EventPage = Answer<'listEvents', 200>;
export type Event = EventPage['events'][number];
export type EventListQuery = QueryOf<'listEvents'>;
export type Webhook = Answer<'getWebhook', 200>;
export type WebhookList = Answer<'listWebhooks', 200>;
/** An endpoint with its signing secret: the only answers that show it (creation and rotation). */
export type WebhookWithSecret = Answer<'createWebhook', 201>;
export type CreateWebhookInput = BodyOf<'createWebhook'>;
export type UpdateWebhookInput = BodyOf<'updateWebhook'>;
export type WebhookDeliveryPage = Answer<'webhookDeliveries', 200>;
export type WebhookDelivery = WebhookDeliveryPage['deliveries'][number];
export type WebhookDeliveryQuery = QueryOf<'webhookDeliveries'>;
export type RedeliverInput = BodyOf<'redeliverWebhookEvents'>;
export type Redelivered = Answer<'redeliverWebhookEvents', 200>;
export type ApiErrorItem = components['schemas']['Errors']['errors'][number];

export interface ImportInput {
  /** The CSV: its bytes, its text or a Blob (a File in a browser). */
  file: Blob | Uint8Array | ArrayBuffer | string;
  /** The name the job keeps (default contacts.csv). */
  filename?: string;
  /** A static segment the imported contacts join. */
  segment_id?: string;
}

export interface ClientOptions {
  /** Where the service answers, e.g. http://localhost:4000 (default). */
  baseUrl?: string;
  /** Another fetch (a proxy's, a test's); the global one by default. */
  fetch?: typeof fetch;
}

/** A non-2xx answer: its status and the errors the body lists (REST.md, Errors). */
export class ContactsApiError extends Error {
  override readonly name = 'ContactsApiError';

  constructor(
    readonly status: number,
    readonly errors: ApiErrorItem[],
  ) {
    super(`${status}: ${errors.map((error) => `${error.code} ${error.message}`).join('; ') || 'no error given'}`);
  }
}

/** The errors of a refused request, from the one error shape (the upload and download answer it too). */
function errorsOf(status: number, text: string): ApiErrorItem[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [{ code: status >= 500 ? 'INTERNAL' : 'BAD_REQUEST', message: text || `HTTP ${status}` }];
  }
  if (body && typeof body === 'object') {
    const { errors } = body as { errors?: unknown };
    if (Array.isArray(errors)) return errors as ApiErrorItem[];
  }
  return [{ code: 'BAD_REQUEST', message: text }];
}

type QueryValue = string | number | boolean | undefined;
const segment = (value: string) => encodeURIComponent(value);

export class ContactsClient {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(
    private readonly apiKey: string,
    options: ClientOptions = {},
  ) {
    this.baseUrl = (options.baseUrl ?? 'http://localhost:4000').replace(/\/+$/, '');
    this.fetch = options.fetch ?? ((...args) => fetch(...args));
  }

  private async send(method: string, path: string, query: object = {}, body?: BodyInit, type?: string): Promise<Response> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query as Record<string, QueryValue>)) {
      if (value !== undefined) search.set(name, String(value));
    }
    const url = `${this.baseUrl}${path}${search.size > 0 ? `?${search}` : ''}`;
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}` };
    if (type) headers['content-type'] = type;
    const response = await this.fetch(url, { method, headers, body });
    if (!response.ok) throw new ContactsApiError(response.status, errorsOf(response.status, await response.text()));
    return response;
  }

  private async json<T>(method: string, path: string, options: { query?: object; body?: object } = {}): Promise<T> {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const response = await this.send(method, path, options.query, body, body === undefined ? undefined : 'application/json');
    return (await response.json()) as T;
  }

  readonly contacts = {
    create: (input: CreateContactInput) => this.json<Contact>('POST', '/contacts', { body: input }),
    /** A page, newest first: `page` (1), `per_page` (20, at most 100), `search`, `segment_id`, `subscribed`. */
    list: (query: ContactListQuery = {}) => this.json<ContactPage>('GET', '/contacts', { query }),
    /** By id (ct_…) or by email. */
    get: (idOrEmail: string) => this.json<Contact>('GET', `/contacts/${segment(idOrEmail)}`),
    /** Only the given fields change; properties merge key by key, a key set to null is removed. */
    update: (idOrEmail: string, input: UpdateContactInput) =>
      this.json<Contact>('PATCH', `/contacts/${segment(idOrEmail)}`, { body: input }),
    delete: (idOrEmail: string) => this.json<Deleted>('DELETE', `/contacts/${segment(idOrEmail)}`),
    unsubscribe: (idOrEmail: string) => this.json<Subscription>('POST', `/contacts/${segment(idOrEmail)}/unsubscribe`),
    resubscribe: (idOrEmail: string) => this.json<Subscription>('POST', `/contacts/${segment(idOrEmail)}/resubscribe`),
    /** Its static memberships and the dynamic segments it matches. */
    segments: (idOrEmail: string) => this.json<Answer<'contactSegments', 200>>('GET', `/contacts/${segment(idOrEmail)}/segments`),
    /** Uploads a CSV (multipart, field "file") and answers when it is imported. */
    import: async (input: ImportInput): Promise<ImportResult> => {
      const { file, filename = 'contacts.csv', segment_id } = input;
      const blob = file instanceof Blob ? file : new Blob([typeof file === 'string' ? file : new Uint8Array(file)], { type: 'text/csv' });
      const form = new FormData();
      form.append('file', blob, filename);
      const response = await this.send('POST', '/contacts/import', { segment_id }, form);
      return (await response.json()) as ImportResult;
    },
    /** An import's job: status, counts and the rows it rejected. */
    importJob: (jobId: string) => this.json<ImportJob>('GET', `/contacts/imports/${segment(jobId)}`),
    /** Every contact (or a segment's) as CSV text. */
    export: async (query: { segment_id?: string } = {}): Promise<string> => (await this.send('GET', '/contacts/export', query)).text(),
    /** The same CSV as a stream, for exports too large to hold. */
    exportStream: async (query: { segment_id?: string } = {}): Promise<ReadableStream<Uint8Array>> =>
      (await this.send('GET', '/contacts/export', query)).body!,
  };

  readonly segments = {
    create: (input: CreateSegmentInput) => this.json<Segment>('POST', '/segments', { body: input }),
    /** A page of segments; `include: 'contact_count'` adds each one's count. */
    list: (query: SegmentListQuery = {}) => this.json<SegmentPage>('GET', '/segments', { query }),
    get: (id: string) => this.json<Segment>('GET', `/segments/${segment(id)}`),
    /** A dynamic segment's rules are replaced whole. */
    update: (id: string, input: UpdateSegmentInput) => this.json<Segment>('PATCH', `/segments/${segment(id)}`, { body: input }),
    /** Its contacts stay. */
    delete: (id: string) => this.json<Deleted>('DELETE', `/segments/${segment(id)}`),
    /** A page of its members, as contacts.list. */
    contacts: (id: string, query: ContactListQuery = {}) => this.json<ContactPage>('GET', `/segments/${segment(id)}/contacts`, { query }),
    /** Adds up to 1000 contacts to a static segment, all or nothing. */
    addContacts: (id: string, contactIds: string[]) =>
      this.json<Segment>('POST', `/segments/${segment(id)}/contacts`, { body: { contact_ids: contactIds } }),
    removeContacts: (id: string, contactIds: string[]) =>
      this.json<Segment>('DELETE', `/segments/${segment(id)}/contacts`, { body: { contact_ids: contactIds } }),
  };

  readonly events = {
    /**
     * A page of the account's events, oldest first (EVENTS.md): `after` (a next_cursor), `limit`
     * (20, at most 100), `types` (comma-separated). next_cursor is never null: poll with it.
     */
    list: (query: EventListQuery = {}) => this.json<EventPage>('GET', '/events', { query }),
  };

  readonly webhooks = {
    /** Registers an endpoint; the answer holds its signing secret (whsec_…), shown this once. */
    create: (input: CreateWebhookInput) => this.json<WebhookWithSecret>('POST', '/webhooks', { body: input }),
    /** The account's endpoints, newest first. */
    list: () => this.json<WebhookList>('GET', '/webhooks'),
    get: (id: string) => this.json<Webhook>('GET', `/webhooks/${segment(id)}`),
    /** Only the given fields change (`url`, `event_types`, `description`, `enabled`). */
    update: (id: string, input: UpdateWebhookInput) => this.json<Webhook>('PATCH', `/webhooks/${segment(id)}`, { body: input }),
    /** The endpoint and its deliveries go. */
    delete: (id: string) => this.json<Answer<'deleteWebhook', 200>>('DELETE', `/webhooks/${segment(id)}`),
    /** A new signing secret, shown once; it signs from the next attempt on. */
    rotateSecret: (id: string) => this.json<WebhookWithSecret>('POST', `/webhooks/${segment(id)}/rotate-secret`),
    /** A page of its deliveries, newest first: `status`, `limit` (20), `after` (the last page's `next_cursor`). */
    deliveries: (id: string, query: WebhookDeliveryQuery = {}) =>
      this.json<WebhookDeliveryPage>('GET', `/webhooks/${segment(id)}/deliveries`, { query }),
    /** Queues again its deliveries of the events created at or after `since` (only the failed ones with `only_failed`). */
    redeliver: (id: string, input: RedeliverInput) => this.json<Redelivered>('POST', `/webhooks/${segment(id)}/redeliver`, { body: input }),
  };
}
