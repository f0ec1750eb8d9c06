import ipaddr from 'ipaddr.js';

/** `::a.b.c.d` (deprecated IPv4-compatible IPv6), which ipaddr.js leaves in global unicast. */
const ipv4Compatible = ipaddr.IPv6.parseCIDR('::/96');

/**
 * Where a hub callback may point: a public HTTPS endpoint on port 443. An address is public only
 * when ipaddr.js classifies it as global `unicast`; every special range is refused, among them
 * private, loopback, link-local, shared (100.64/10), benchmark (198.18/15), multicast, reserved,
 * unspecified, unique-local and site-local IPv6, and IPv4 embedded in IPv6 (IPv4-mapped `::ffff:`,
 * NAT64 `64:ff9b::`, 6to4, Teredo), whatever textual form it was written in.
 */
export const isPublicAddress = (address: string): boolean => {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (!ipaddr.isValid(bare)) return false;
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).match(ipv4Compatible)) return false;
  return parsed.range() === 'unicast';
};

/** Host names that never name a public endpoint, refused before any resolution. */
const internalName = /(^|\.)(localhost|local|internal|localdomain|home\.arpa|in-addr\.arpa|ip6\.arpa)$/i;

/**
 * Literal hosts the deployment allows with plain HTTP and any port (the local stack's test
 * listeners on 127.0.0.1); empty in AWS.
 */
export type CallbackPolicy = { localHosts: readonly string[] };

export type CallbackTarget = {
  url: string;
  /** Host without IPv6 brackets. */
  host: string;
  /** The host is an address itself: nothing to resolve. */
  literal: boolean;
  /** Allowed by the local policy: no address check. */
  local: boolean;
};

export class CallbackRefused extends Error {
  override readonly name = 'CallbackRefused';
}

/**
 * The static part of the check (what the URL says); a DNS name must then resolve to public
 * addresses only, checked where it is resolved (`adapters/callback-addresses.ts`).
 */
export const callbackTarget = (callback: string, policy: CallbackPolicy): CallbackTarget => {
  let url: URL;
  try {
    url = new URL(callback);
  } catch {
    throw new CallbackRefused('callback must be an absolute URL');
  }
  if (url.username || url.password) throw new CallbackRefused('callback must not carry credentials');
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const literal = ipaddr.isValid(host);
  if (policy.localHosts.includes(url.hostname)) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new CallbackRefused('callback must use http or https');
    return { url: url.toString(), host, literal, local: true };
  }
  if (url.protocol !== 'https:') throw new CallbackRefused('callback must use https');
  // WHATWG URL drops the scheme's default port: any port left is not 443.
  if (url.port !== '') throw new CallbackRefused('callback must use port 443');
  if (literal ? !isPublicAddress(host) : internalName.test(host) || !host.includes('.'))
    throw new CallbackRefused('callback must be a public host');
  return { url: url.toString(), host, literal, local: false };
};
