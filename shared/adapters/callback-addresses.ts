import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { CallbackRefused, isPublicAddress } from '#domain/notification/callback-address';

type Resolved = { address: string; family: number };

/** Every address the name resolves to, each of them public; else the callback is refused. */
export const resolvePublic = async (host: string): Promise<Resolved[]> => {
  let addresses: Resolved[];
  try {
    addresses = await lookup(host, { all: true, order: 'verbatim' });
  } catch {
    throw new CallbackRefused('callback host does not resolve');
  }
  if (addresses.length === 0) throw new CallbackRefused('callback host does not resolve');
  if (!addresses.every((a) => isPublicAddress(a.address)))
    throw new CallbackRefused('callback host resolves to a non-public address');
  return addresses;
};

/**
 * The socket's `lookup`: resolves once, checks every address, and hands the connection the
 * address it checked, so a second answer (DNS rebinding) can never be what is connected to.
 */
export const checkedLookup: LookupFunction = (hostname, options, callback) => {
  resolvePublic(hostname).then(
    (addresses) => {
      const chosen = addresses[0]!;
      if (options.all) callback(null, addresses);
      else callback(null, chosen.address, chosen.family);
    },
    (error: Error) => callback(Object.assign(error, { code: 'ECALLBACKREFUSED' }), '', 0),
  );
};
