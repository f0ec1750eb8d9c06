import { loadProducts } from '#adapters/product-repository';
import type { Actor } from '#domain/actor';
import { type ChangeLineBody, isChangeLine } from '#domain/inventory/change-line-input';
import { assertOneChangePerProduct, resolveChangeLine } from '#domain/inventory/change-request';
import type { LineInput } from '#domain/quote/quote-types';

/**
 * Quote lines with the change lines resolved against the installed base: the product's offering,
 * quantity and configuration (changed by a modify's options), and what it is now. Refusals throw
 * before anything is written.
 */
export const resolveChangeLines = async (
  lines: readonly (LineInput | ChangeLineBody)[],
  actor: Actor,
  accountId: string,
): Promise<LineInput[]> => {
  const changes = lines.filter(isChangeLine);
  if (changes.length === 0) return lines as LineInput[];
  assertOneChangePerProduct(changes.map((c) => c.productId));
  const products = await loadProducts(changes.map((c) => c.productId));
  return lines.map((line) =>
    isChangeLine(line) ? resolveChangeLine(line, products.get(line.productId), { actor, accountId }) : line,
  );
};
