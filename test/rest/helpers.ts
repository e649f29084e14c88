// Real HTTP calls to the REST API, and the check that a refused request changed nothing stored.
import { expect } from 'vitest';
import { accountSnapshot } from '../support/snapshot.js';
import type { TestAccount, TestService } from '../support/service.js';

export interface RestResponse {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export interface RestCall {
  body?: unknown;
  /** Sent as it is, instead of JSON.stringify(body). */
  raw?: string | Uint8Array<ArrayBuffer>;
  contentType?: string;
  key?: string | null;
}

export async function rest(baseUrl: string, key: string | null, method: string, path: string, call: RestCall = {}): Promise<RestResponse> {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  let body: string | Uint8Array<ArrayBuffer> | undefined = call.raw;
  if (call.body !== undefined) body = JSON.stringify(call.body);
  if (body !== undefined) headers['content-type'] = call.contentType ?? 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the test reads text
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** A REST caller bound to one account of a service. */
export function restOf(service: TestService, account: TestAccount) {
  return (method: string, path: string, call: RestCall = {}) => rest(service.url, account.apiKey, method, path, call);
}

/** Runs `act` and expects the account's stored data to be exactly as before. */
export async function expectNothingChanged<T>(service: TestService, account: TestAccount, act: () => Promise<T>): Promise<T> {
  const before = await accountSnapshot(service.service.db.prisma, account.accountId);
  const result = await act();
  expect(await accountSnapshot(service.service.db.prisma, account.accountId)).toEqual(before);
  return result;
}

export const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
