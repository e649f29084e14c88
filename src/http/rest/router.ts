// Finds the route of a request (405 with Allow on a known path, a JSON 404 on an unknown one),
// then: the key (401, the one place a REST request is authenticated, the streamed import and
// export included), the query's schema (400), the JSON body (415, 413, 400) and its schema (422,
// every error listed), the handler. Every failure answers the one error shape.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import { isDatabaseUnavailable, isUnstorableText } from '../../db/errors.js';
import { log } from '../../log.js';
import { authenticate, UNAUTHENTICATED_MESSAGE } from '../auth.js';
import { callerOf } from '../../core/events/service.js';
import { EARLY_ANSWER_HEADERS, JSON_BODY_TOO_LARGE, jsonBodyTooLargeMessage, readBodyWithin } from '../json-body-limit.js';
import { sendJson } from '../respond.js';
import { RestError, type RestErrorItem, sendErrors } from './errors.js';
import type { Route } from './route.js';

interface Compiled {
  route: Route;
  segments: string[];
  params?: ValidateFunction;
  query?: ValidateFunction;
  body?: ValidateFunction;
}

// Query strings are text: "2" is read as the integer 2. Bodies are JSON: no coercion.
const queryAjv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false });
const bodyAjv = new Ajv({ allErrors: true, strict: false });
// Formats are there for openapi.json; the handler that reads a value checks what it means (a
// date-time's handler parses it), so Ajv takes them as known rather than warning at start-up.
for (const ajv of [queryAjv, bodyAjv]) for (const format of ['date-time', 'binary']) ajv.addFormat(format, true);

export type RestDispatch = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export function restRouter(routes: readonly Route[], db: Database, config: Config): RestDispatch {
  const compiled: Compiled[] = routes.map((route) => ({
    route,
    segments: route.path.split('/').slice(1),
    ...(route.params && { params: queryAjv.compile(route.params) }),
    ...(route.query && { query: queryAjv.compile(route.query) }),
    ...(route.kind === 'json' && route.body && { body: bodyAjv.compile(route.body) }),
  }));

  return async (req, res, url) => {
    try {
      const found = match(compiled, url.pathname);
      if (!found) throw RestError.one(404, 'NOT_FOUND', `no route ${url.pathname}`);
      const entry = found.candidates.find((candidate) => candidate.route.method === req.method);
      if (!entry) {
        const allow = [...new Set(found.candidates.map((candidate) => candidate.route.method))].join(', ');
        throw new RestError(405, [{ code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not allowed here: use ${allow}` }], {
          allow,
        });
      }
      const { route } = entry;
      const credentials = await authenticate(db, req.headers.authorization);
      if (!credentials) {
        throw new RestError(401, [{ code: 'UNAUTHENTICATED', message: UNAUTHENTICATED_MESSAGE }], { 'WWW-Authenticate': 'Bearer' });
      }
      const params = found.params(entry);
      if (entry.params && !entry.params(params)) throw notFound(url.pathname);
      const query = Object.fromEntries(url.searchParams);
      if (entry.query && !entry.query(query)) throw new RestError(400, schemaErrors(entry.query.errors, 'BAD_REQUEST', ['query']));
      const { accountId } = credentials;
      if (route.kind === 'raw') return await route.handler({ req, res, db, credentials, query });
      let body: unknown = undefined;
      if (entry.body) {
        body = await readJsonBody(req, config.maxJsonBodyBytes);
        if (!entry.body(body)) throw new RestError(422, schemaErrors(entry.body.errors, 'INVALID', []));
      }
      const caller = callerOf(accountId, 'rest', credentials.key);
      const answer = await route.handler({ db, config, accountId, caller, params, query, body });
      sendJson(res, answer.status, answer.body);
    } catch (error) {
      // Whatever the body held is no longer read: let it drain, so the client reads this answer.
      req.resume();
      if (res.headersSent) return void res.destroy();
      sendErrors(res, asRestError(error, url));
    }
  };
}

function asRestError(error: unknown, url: URL): RestError {
  if (error instanceof RestError) return error;
  if (isDatabaseUnavailable(error)) {
    return new RestError(503, [{ code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable; retry shortly.' }], {
      'Retry-After': '5',
    });
  }
  if (isUnstorableText(error)) return RestError.one(422, 'INVALID', 'a value holds a character that cannot be stored');
  log.error('unexpected error', { error, path: url.pathname });
  return RestError.one(500, 'INTERNAL', 'Unexpected error.');
}

function notFound(pathname: string): RestError {
  return RestError.one(404, 'NOT_FOUND', `nothing at ${pathname}`);
}

interface Match {
  candidates: Compiled[];
  params(entry: Compiled): Record<string, string>;
}

/** The routes of the path's best pattern (literal segments win over parameters). */
function match(compiled: readonly Compiled[], pathname: string): Match | null {
  const parts = pathname.split('/').slice(1);
  let best: { pattern: string; literals: number; candidates: Compiled[] } | null = null;
  for (const entry of compiled) {
    if (entry.segments.length !== parts.length) continue;
    let literals = 0;
    const fits = entry.segments.every((segment, index) => {
      if (segment.startsWith('{')) return true;
      literals++;
      return segment === parts[index];
    });
    if (!fits) continue;
    const pattern = entry.segments.join('/');
    if (!best || literals > best.literals) best = { pattern, literals, candidates: [entry] };
    else if (literals === best.literals && pattern === best.pattern) best.candidates.push(entry);
  }
  if (!best) return null;
  return {
    candidates: best.candidates,
    params: (entry) => {
      const params: Record<string, string> = {};
      entry.segments.forEach((segment, index) => {
        if (!segment.startsWith('{')) return;
        try {
          params[segment.slice(1, -1)] = decodeURIComponent(parts[index]!);
        } catch {
          throw notFound(pathname); // malformed percent-encoding names nothing
        }
      });
      return params;
    },
  };
}

/** The body as JSON: 415 when it is not JSON, 413 past the limit, 400 when malformed or not an object. */
async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw RestError.one(415, 'UNSUPPORTED_MEDIA_TYPE', `send the body as application/json (got ${JSON.stringify(type)})`);
  }
  const tooLarge = () =>
    new RestError(
      JSON_BODY_TOO_LARGE.status,
      [{ code: JSON_BODY_TOO_LARGE.code, message: jsonBodyTooLargeMessage(limit) }],
      EARLY_ANSWER_HEADERS,
    );
  const text = (await readBodyWithin(req, limit, tooLarge)).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw RestError.one(400, 'BAD_REQUEST', 'the body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw RestError.one(400, 'BAD_REQUEST', 'the body must be a JSON object');
  }
  return body;
}

function schemaErrors(errors: ErrorObject[] | null | undefined, code: 'BAD_REQUEST' | 'INVALID', prefix: string[]): RestErrorItem[] {
  return (errors ?? []).map((error) => {
    const path = error.instancePath
      .split('/')
      .slice(1)
      .map((part) => (/^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, '/').replace(/~0/g, '~')));
    const field: (string | number)[] = [...prefix, ...path];
    if (error.keyword === 'additionalProperties') {
      const name = (error.params as { additionalProperty: string }).additionalProperty;
      return { code, message: `unknown field ${name}`, field: [...field, name] };
    }
    if (error.keyword === 'required') {
      const name = (error.params as { missingProperty: string }).missingProperty;
      return { code, message: `${name} is required`, field: [...field, name] };
    }
    const name = field.length > prefix.length ? field.slice(prefix.length).join('.') : 'the body';
    return { code, message: `${name} ${error.message ?? 'is not valid'}`, field };
  });
}
