// One definition per REST route: its method and path, the TypeBox schemas of its parameters,
// query and body (which validate the request, type the handler and become its part of
// openapi.json), its answers, and the handler that calls the core.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import type { Credentials } from '../../core/accounts/service.js';
import type { Caller } from '../../core/events/service.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RouteContext<P extends TObject, Q extends TObject, B extends TSchema> {
  db: Database;
  config: Config;
  accountId: string;
  /** Who makes the changes: the account, source rest, the key's prefix. */
  caller: Caller;
  params: Static<P>;
  query: Static<Q>;
  body: Static<B>;
}

export interface Answer {
  status: number;
  body: unknown;
}

interface RouteBase {
  method: Method;
  /** OpenAPI-style: /contacts/{id_or_email}. */
  path: string;
  operationId: string;
  summary: string;
  tag: 'Contacts' | 'Segments' | 'Imports' | 'Events' | 'Webhooks';
  /** Answers by status, each a schema and a description; error statuses use the one error shape. */
  responses: Record<number, { description: string; schema?: TSchema; contentType?: string }>;
  errors: number[];
}

export interface JsonRoute<P extends TObject = TObject, Q extends TObject = TObject, B extends TSchema = TSchema> extends RouteBase {
  kind: 'json';
  params?: P;
  query?: Q;
  body?: B;
  handler(ctx: RouteContext<P, Q, B>): Promise<Answer>;
}

/** What a raw route's handler gets: the request, authenticated and its query checked, to read and answer itself. */
export interface RawContext {
  req: IncomingMessage;
  res: ServerResponse;
  db: Database;
  credentials: Credentials;
  query: Record<string, string>;
}

/**
 * A route with its own reading of the request and writing of the answer (the streamed import and
 * export). The router authenticates it and checks its query as any other's; a failure it throws
 * as a RestError answers the one error shape.
 */
export interface RawRoute extends RouteBase {
  kind: 'raw';
  params?: TObject;
  query?: TObject;
  /** A multipart body, described for OpenAPI only. */
  multipart?: TObject;
  handler: RawHandler;
}

export type Route = JsonRoute | RawRoute;

export function jsonRoute<P extends TObject, Q extends TObject, B extends TSchema>(route: Omit<JsonRoute<P, Q, B>, 'kind'>): Route {
  return { kind: 'json', ...route } as unknown as Route;
}

export type RawHandler = (ctx: RawContext) => Promise<void>;
