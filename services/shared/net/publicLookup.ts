import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { WaError } from '../WaError.js';
import { isPrivateHost } from './publicUrl.js';

/**
 * A DNS lookup (the `lookup` option of `http.request` / `net.connect`) that refuses names
 * resolving to a private, loopback or link-local address: the check happens on the address
 * the socket really connects to, so a name cannot change its answer between a check and the
 * connection (DNS rebinding). The refusal is a WaError naming `field`.
 *
 * Node does not call `lookup` for a literal IP host: callers judge those with `isPrivateHost`.
 */
export function publicLookup(field: string): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.find((a) => isPrivateHost(a.address));
      if (refused || addresses.length === 0) {
        return callback(new WaError('INVALID_ARGUMENT', `${field} resolves to a private, loopback or link-local address`, { field }), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
