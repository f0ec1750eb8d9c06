import { pack, packedName, unpacked } from './packed-data.ts';

/**
 * An outbox item's event, stored brotli-compressed as `packedEnvelope`: every event is written in
 * its aggregate's transaction (billed twice per started KB), and a dispatch event of about 1.3 KB
 * packs to well under 1 KB. Items written before hold it plain as `envelope`; both are read.
 * The index (`byTypeShard`) projects keys only, so the name changes nothing there.
 */
const plain = 'envelope';

/** Both attributes an envelope may be under, for a read that names what it wants. */
export const envelopeAttributes = [plain, packedName(plain)] as const;

/** Any envelope: the aggregate store, which defines `EventEnvelope`, imports this module. */
export const packedEnvelope = (envelope: object): Record<string, Uint8Array> => ({
  [packedName(plain)]: pack(envelope),
});

/** The envelope of an outbox item, packed or plain; undefined for an item that holds none. */
export const outboxEnvelope = <T>(item: Record<string, unknown>): T | undefined =>
  unpacked<T | undefined>(item, plain);
