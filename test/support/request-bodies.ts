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

/** An enterprise order's lines: per site a fiber access, a security service and a static IP block. */
export const enterpriseLines = (count: number): LineBody[] =>
  Array.from({ length: count }, (_, i): LineBody => {
    const customerReference = `site-${Math.floor(i / 3)}`;
    if (i % 3 === 0)
      return {
        offeringId: 'off-fiber-1g',
        quantity: 1,
        options: { term: 24, install: 'standard' },
        customerReference,
      };
    if (i % 3 === 1) return { offeringId: 'off-security', quantity: 1, options: {}, customerReference };
    return { offeringId: 'off-static-ip', quantity: 1, options: { size: 8 }, customerReference };
  });
