// Where a webhook may be sent (EVENTS.md, Addresses): an http or https URL whose host resolves
// only to public unicast addresses, unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true. Checked when an
// endpoint is created or changed and again before each attempt, whose connection then goes to
// the very address that was checked (see sender.ts), so a name that resolves differently the
// second time (DNS rebinding) cannot slip past the check.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export const MAX_URL_LENGTH = 2000;

/** Cloud metadata services, named so that the refusal says what they are. */
const METADATA_ADDRESSES = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254']);

export const PRIVATE_NETWORKS_SETTING = 'WEBHOOK_ALLOW_PRIVATE_NETWORKS=true';

/** The URL's syntax: null when fine, otherwise what is wrong with it. */
export function urlProblem(text: string): string | null {
  if (text.length > MAX_URL_LENGTH) return `url is longer than ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'url is not an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `url must be http or https (got ${url.protocol.slice(0, -1)})`;
  if (!url.hostname) return 'url names no host';
  return null;
}

/**
 * Why this address may not receive webhooks (a loopback, private, link-local, unique-local,
 * carrier-grade NAT, unspecified, metadata or other non-public address), or null for a public
 * unicast one. IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
 */
export function addressRefusal(address: string): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const normal = parsed.toNormalizedString();
  const canonical = parsed.kind() === 'ipv6' ? (parsed as ipaddr.IPv6).toRFC5952String() : normal;
  if (METADATA_ADDRESSES.has(canonical)) return `${address} is a cloud metadata address`;
  const range = parsed.range();
  return range === 'unicast' ? null : `${address} is a ${RANGE_NAMES[range] ?? `${range}`} address`;
}

const RANGE_NAMES: Record<string, string> = {
  loopback: 'loopback',
  private: 'private',
  linkLocal: 'link-local',
  uniqueLocal: 'unique-local',
  carrierGradeNat: 'carrier-grade NAT',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'broadcast',
  reserved: 'reserved',
};

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolution = { ok: true; address: ResolvedAddress } | { ok: false; reason: string };

/**
 * The address to connect to for this URL: every address its host resolves to must be allowed
 * (one refused address refuses the URL, so no later resolution can pick it), and the first is
 * the one to use.
 */
export async function resolveTarget(text: string, allowPrivateNetworks: boolean): Promise<Resolution> {
  const problem = urlProblem(text);
  if (problem) return { ok: false, reason: problem };
  const host = new URL(text).hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: ResolvedAddress[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) as 4 | 6 }];
  } else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((entry) => ({
        address: entry.address,
        family: entry.family as 4 | 6,
      }));
    } catch (error) {
      return { ok: false, reason: `the host ${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'lookup failed'})` };
    }
  }
  if (addresses.length === 0) return { ok: false, reason: `the host ${host} does not resolve` };
  if (!allowPrivateNetworks) {
    for (const { address } of addresses) {
      const refusal = addressRefusal(address);
      if (refusal) {
        return {
          ok: false,
          reason: `the host ${host} resolves to ${refusal}, which webhooks are not sent to unless ${PRIVATE_NETWORKS_SETTING}`,
        };
      }
    }
  }
  return { ok: true, address: addresses[0]! };
}
