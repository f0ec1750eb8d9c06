import type { CommandContext } from '#domain/actor';
import type { CatalogRelease } from '#domain/catalog/catalog-release';
import { DomainError } from '#domain/errors';
import { isChangeAction } from '#domain/inventory/change-action';
import { type ChangeLineBody, isChangeLine } from '#domain/inventory/change-line-input';
import { percentFromBasisPoints, tmfMoney } from '#domain/money';
import { acceptQuote } from '#domain/quote/accept-quote';
import { cancelQuote } from '#domain/quote/cancel-quote';
import { priceQuote, replaceLines } from '#domain/quote/change-quote';
import { decideApproval } from '#domain/quote/decide-approval';
import { lineReferencesOf } from '#domain/quote/line-references';
import type { QuoteView } from '#domain/quote/quote-resource';
import { isExpired, pricingStatusOf } from '#domain/quote/quote-rules';
import type { LineInput, Quote, QuoteCommandResult, QuoteState } from '#domain/quote/quote-types';
import { submitQuote } from '#domain/quote/submit-quote';
import type { Tmf648QuoteItemInput } from '#domain/quote/tmf648-quote-item';
import { appendNotes } from '#domain/tmf/tmf-attributes';

/**
 * The TMF648 Quote facade: the same quote aggregate and the same domain commands as `/quotes`,
 * seen through the TM Forum resource shape. No second source of truth.
 */
export const QUOTE_MANAGEMENT_PATH = '/tmf-api/quoteManagement/v4';

const optionsOf = (item: Tmf648QuoteItemInput) =>
  Object.fromEntries((item.product?.productCharacteristic ?? []).map((c) => [c.name, c.value] as const));

const discountOf = (item: Tmf648QuoteItemInput) => {
  const discounts = (item.quoteItemPrice ?? []).flatMap((p) =>
    (p.priceAlteration ?? []).map((a) => a.price?.percentage).filter((v): v is number => v !== undefined),
  );
  return discounts.length > 0 ? { discountPercent: Math.max(...discounts) } : {};
};

const malformedItem = (index: number, field: string, message: string) =>
  new DomainError(
    'MALFORMED_REQUEST',
    `quoteItem ${index}: ${message}`,
    {
      fields: [{ field: `quoteItem.${index}.${field}`, message }],
    },
    400,
  );

/**
 * Quote items → the lines `/quotes` takes: `add` items sell an offering; `modify`, `delete`,
 * `suspend` and `resume` items change the installed product `product.id` (MACD).
 */
export const quoteItemLines = (items: readonly Tmf648QuoteItemInput[]): (LineInput | ChangeLineBody)[] =>
  items.map((item, index) => {
    const action = item.action ?? 'add';
    if (isChangeAction(action)) {
      const productId = item.product?.id;
      if (!productId)
        throw malformedItem(index, 'product.id', `action "${action}" needs the product it changes`);
      const options = optionsOf(item);
      return {
        ...lineReferencesOf(item),
        action,
        productId,
        ...(Object.keys(options).length > 0 ? { options } : {}),
        ...discountOf(item),
      };
    }
    if (action !== 'add')
      throw malformedItem(index, 'action', 'expected add, modify, delete, suspend or resume');
    if (!item.productOffering?.id)
      throw malformedItem(index, 'productOffering.id', 'an added item needs its offering');
    return {
      ...lineReferencesOf(item),
      offeringId: item.productOffering.id,
      quantity: item.quantity ?? 1,
      options: optionsOf(item),
      ...discountOf(item),
    };
  });

/** Quote items of a new sale only: a change item needs its product resolved first (`quoteItemLines`). */
export const linesFromQuoteItems = (items: readonly Tmf648QuoteItemInput[]): LineInput[] =>
  quoteItemLines(items).map((line, index) => {
    if (isChangeLine(line))
      throw malformedItem(index, 'action', 'only "add" items replace the lines of a quote');
    return line;
  });

const itemState = (state: QuoteState): string =>
  state === 'cancelled' ? 'cancelled' : state === 'accepted' ? 'accepted' : state;

/** TMF648 Quote. Partners never see margin (it is not in this shape at all). */
export const toTmf648Quote = (quote: Quote, view: QuoteView, baseUrl: string): Record<string, unknown> => {
  const waterfall = new Map((quote.priceSnapshot?.lines ?? []).map((l) => [l.lineId, l]));
  const totals = quote.priceSnapshot?.totals;
  return {
    id: quote.id,
    href: `${baseUrl}${QUOTE_MANAGEMENT_PATH}/quote/${quote.id}`,
    '@type': 'Quote',
    version: String(quote.version),
    state: quote.state,
    quoteDate: quote.createdAt,
    ...(quote.externalId === undefined ? {} : { externalId: quote.externalId }),
    ...(quote.customer.segment === undefined ? {} : { category: quote.customer.segment }),
    ...(quote.description === undefined ? {} : { description: quote.description }),
    ...(quote.requestedQuoteCompletionDate === undefined
      ? {}
      : { requestedQuoteCompletionDate: quote.requestedQuoteCompletionDate }),
    ...(quote.expectedFulfillmentStartDate === undefined
      ? {}
      : { expectedFulfillmentStartDate: quote.expectedFulfillmentStartDate }),
    ...(quote.notes?.length ? { note: quote.notes } : {}),
    validFor: quote.validFor,
    ...(quote.acceptance ? { effectiveQuoteCompletionDate: quote.acceptance.acceptedAt } : {}),
    relatedParty: [
      {
        id: quote.customer.accountId,
        name: quote.customer.name,
        role: 'Customer',
        '@referredType': 'Organization',
      },
      ...(quote.relatedParties ?? []),
    ],
    quoteItem: quote.lines.map((line) => {
      const priced = waterfall.get(line.lineId);
      return {
        id: line.lineId,
        action: line.change?.action ?? 'add',
        quantity: line.quantity,
        ...lineReferencesOf(line),
        state: itemState(quote.state),
        productOffering: { id: line.offeringId, '@referredType': 'ProductOffering' },
        product: {
          ...(line.change ? { id: line.change.productId, '@referredType': 'Product' } : {}),
          productCharacteristic: Object.entries(line.options).map(([name, value]) => ({
            name,
            value,
            valueType: typeof value,
          })),
        },
        ...(priced
          ? {
              quoteItemPrice: [
                {
                  name: 'Recurring charge',
                  priceType: 'recurring',
                  recurringChargePeriod: 'month',
                  price: { dutyFreeAmount: tmfMoney(priced.netRecurring, quote.currency) },
                  priceAlteration: [
                    {
                      name: 'Quote discount',
                      priceType: 'recurring',
                      price: {
                        percentage: percentFromBasisPoints(line.discountBasisPoints),
                        dutyFreeAmount: tmfMoney(priced.discountRecurring, quote.currency),
                      },
                    },
                  ],
                },
                {
                  name: 'One-time charge',
                  priceType: 'oneTime',
                  price: { dutyFreeAmount: tmfMoney(priced.netOneTime, quote.currency) },
                },
              ],
            }
          : {}),
        '@type': 'QuoteItem',
      };
    }),
    ...(totals
      ? {
          quoteTotalPrice: [
            {
              name: 'Total recurring charge',
              priceType: 'recurring',
              recurringChargePeriod: 'month',
              price: { dutyFreeAmount: tmfMoney(totals.netRecurring, quote.currency) },
            },
            {
              name: 'Total one-time charge',
              priceType: 'oneTime',
              price: { dutyFreeAmount: tmfMoney(totals.netOneTime, quote.currency) },
            },
          ],
        }
      : {}),
    // Extensions: what a channel needs to know before it may accept.
    pricingStatus: pricingStatusOf(quote, view.catalog),
    expired: isExpired(quote, view.now),
  };
};

export type Tmf648Patch = {
  quoteItem?: Tmf648QuoteItemInput[];
  /** The items as lines with their changes resolved against the installed base (by the command layer). */
  lines?: LineInput[];
  state?: QuoteState;
  note?: { id?: string | undefined; text: string }[];
};

export type Tmf648Ids = { approvalRequestId: string; decisionId: string; evidenceId: string };
type Ctx = CommandContext & { catalog: CatalogRelease };

const chain = (first: QuoteCommandResult, next: (q: Quote) => QuoteCommandResult): QuoteCommandResult => {
  const result = next(first.quote);
  return { quote: result.quote, events: [...first.events, ...result.events] };
};

/** A state the client asks for, as the command that gets the quote there. */
const moveTo = (quote: Quote, target: QuoteState, comment: string | undefined, ctx: Ctx, ids: Tmf648Ids) => {
  if (quote.state === target) return { quote, events: [] };
  switch (target) {
    case 'pending':
      return submitQuote(quote, { ...ctx, approvalRequestId: ids.approvalRequestId });
    case 'approved':
      // An auto-approved submit lands in approved directly; a pending quote needs a decision.
      return quote.state === 'inProgress'
        ? submitQuote(quote, { ...ctx, approvalRequestId: ids.approvalRequestId })
        : decideApproval(
            quote,
            { decision: 'APPROVE', ...(comment ? { comment } : {}) },
            { ...ctx, decisionId: ids.decisionId },
          );
    case 'rejected':
      return decideApproval(
        quote,
        { decision: 'REJECT', ...(comment ? { comment } : {}) },
        { ...ctx, decisionId: ids.decisionId },
      );
    case 'accepted':
      return acceptQuote(quote, { ...ctx, evidenceId: ids.evidenceId });
    case 'cancelled':
      return cancelQuote(quote, ctx);
    default:
      throw new DomainError('INVALID_STATE_TRANSITION', `a quote cannot be moved back to ${target}`, {
        quoteId: quote.id,
        state: quote.state,
        requestedState: target,
      });
  }
};

/**
 * PATCH /quote/{id}: new items replace the lines and are priced at once (a TMF648 quote comes
 * back priced); a state asks for the command that reaches it. Every step is the `/quotes` command.
 */
export const applyTmf648Patch = (quote: Quote, patch: Tmf648Patch, ctx: Ctx, ids: Tmf648Ids) => {
  let result: QuoteCommandResult = { quote, events: [] };
  let approvalInvalidated = false;
  if (patch.quoteItem) {
    const lines = patch.lines ?? linesFromQuoteItems(patch.quoteItem);
    result = chain(result, (q) => {
      const changed = replaceLines(q, { lines }, ctx);
      approvalInvalidated ||= changed.approvalInvalidated;
      return changed;
    });
    result = chain(result, (q) => {
      const priced = priceQuote(q, ctx);
      approvalInvalidated ||= priced.approvalInvalidated;
      return priced;
    });
  }
  // An approver's note is the decision's comment, which partners never see; others' notes are the quote's.
  if (patch.note?.length && ctx.actor.role !== 'approver') {
    const added = patch.note;
    result = chain(result, (q) => ({
      quote: { ...q, notes: appendNotes(q.notes, added, ctx), updatedAt: ctx.now },
      events: [],
    }));
  }
  if (patch.state) {
    const comment = patch.note?.map((n) => n.text ?? '').join('\n') || undefined;
    const target = patch.state;
    result = chain(result, (q) => moveTo(q, target, comment, ctx, ids));
  }
  return { ...result, approvalInvalidated };
};
