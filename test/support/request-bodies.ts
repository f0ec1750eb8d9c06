/**
 * Request bodies of the quote journey: plain data, no test runner, so the bench builds the same
 * requests the tests send.
 */
export type LineBody = {
  offeringId: string;
  quantity: number;
  options: Record<string, string | number>;
  discountPercent?: number;
  customerReference?: string;
};

export const fiberLine = (discountPercent = 0): LineBody => ({
  offeringId: 'off-fiber-1g',
  quantity: 1,
  options: { term: 24, install: 'standard' },
  ...(discountPercent ? { discountPercent } : {}),
});

export const quoteBody = (
  lines: LineBody[] = [fiberLine()],
  accountId = `acct-${Math.random().toString(36).slice(2, 10)}`,
) => ({
  customer: { accountId, name: 'Acme Manufacturing' },
  currency: 'USD',
  lines,
});

/** A TMF648 createQuote body: one fiber line, optionally discounted. */
export const tmfQuoteBody = (discount = 0) => ({
  externalId: `ext-${Math.random().toString(36).slice(2, 8)}`,
  relatedParty: [{ id: `acct-${Math.random().toString(36).slice(2, 8)}`, name: 'Acme', role: 'Customer' }],
  quoteItem: [
    {
      id: '1',
      action: 'add',
      quantity: 1,
      productOffering: { id: 'off-fiber-1g' },
      product: { productCharacteristic: [{ name: 'term', value: 24 }] },
      ...(discount ? { quoteItemPrice: [{ priceAlteration: [{ price: { percentage: discount } }] }] } : {}),
    },
  ],
});
