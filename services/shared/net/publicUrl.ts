import { BlockList, isIP } from 'node:net';
import { WaError } from '../WaError.js';

/** Addresses no outbound fetch or webhook may target: loopback, private, link-local, and ranges that embed or reach them. */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  // Unspecified, loopback and IPv4-compatible. IPv4-mapped addresses (::ffff:a.b.c.d) need no
  // entry: BlockList judges them by the IPv4 rules above. NAT64 can stand for any IPv4 address.
  ['::', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  // Teredo and 6to4 embed IPv4 addresses too.
  ['2001::', 32],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/**
 * Whether a URL host is a literal loopback / private / link-local (or otherwise non-public)
 * IP address, or `localhost`. Names are not resolved here: the full DNS check happens where
 * the URL is fetched, since a name can change what it points to.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = isIP(host);
  if (family === 4) return PRIVATE.check(host, 'ipv4');
  if (family === 6) return PRIVATE.check(host, 'ipv6');
  return false;
}

/**
 * An http(s) URL a client gave for the backbone to fetch or call: any other scheme, user
 * info, or (unless `allowPrivate`) a private literal address or `localhost` is a 400 naming
 * `field`.
 */
export function checkPublicUrl(raw: string, field: string, options: { allowPrivate?: boolean } = {}): URL {
  if (raw.length > 2_048) throw new WaError('INVALID_ARGUMENT', `${field} is longer than 2048 characters`, { field });
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WaError('INVALID_ARGUMENT', `${field} is not a valid URL`, { field });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WaError('INVALID_ARGUMENT', `${field} must be an http or https URL`, { field });
  if (url.username !== '' || url.password !== '') throw new WaError('INVALID_ARGUMENT', `${field} must not carry credentials`, { field });
  if (!options.allowPrivate && isPrivateHost(url.hostname)) {
    throw new WaError('INVALID_ARGUMENT', `${field} points to a private, loopback or link-local address`, { field });
  }
  return url;
}
