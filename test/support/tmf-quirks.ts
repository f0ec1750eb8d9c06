import type { Violation } from './prism-proxy.ts';

/** One call of a flow through the validating proxy and what the proxy found wrong with it. */
export type Exchange = {
  method: string;
  path: string;
  status: number;
  violations: Violation[];
  /** A request the test makes invalid on purpose, to see it refused. */
  invalidOnPurpose?: boolean;
};

/**
 * Known quirks of the TMF documents that the API accepts deviating from, each with its reason
 * (docs/tmf.md lists the same). Anything else Prism reports fails the conformance test.
 */
export type Quirk = {
  id: string;
  reason: string;
  documents: ('official' | 'own')[];
  matches: (exchange: Exchange, violation: Violation) => boolean;
};

const at = (violation: Violation, ...prefix: string[]) =>
  prefix.every((part, i) => violation.location[i] === part);

export const acceptedTmfQuirks: Quirk[] = [
  {
    id: 'patch-required-lists',
    reason:
      'ProductOrder_Update and Quote_Update copy `required: [productOrderItem]` / `[quoteItem]` from the create schemas; a merge patch sends only what changes.',
    documents: ['official'],
    matches: (exchange, v) =>
      exchange.method === 'PATCH' &&
      at(v, 'request', 'body') &&
      v.code === 'required' &&
      /required property '(productOrderItem|quoteItem)'/.test(v.message),
  },
  {
    id: 'partial-resources-under-fields',
    reason:
      'TMF lets `fields` select attributes, but its resource schemas keep their required lists, so a partial resource cannot validate against them.',
    documents: ['official'],
    matches: (exchange, v) =>
      exchange.method === 'GET' &&
      /[?&]fields=/.test(exchange.path) &&
      at(v, 'response', 'body') &&
      v.code === 'required',
  },
  {
    id: 'business-refusal-422',
    reason:
      'The TMF622 and TMF648 v4 operations list no 422; the API answers a well-formed request that breaks a business rule (point of no return, quote not accepted) 422 with its code, as its contract says.',
    documents: ['official'],
    matches: (exchange, v) =>
      exchange.status === 422 &&
      v.location.join('/') === 'response' &&
      v.message.startsWith('Unable to match the returned status code'),
  },
];
