import { randomUUID } from 'node:crypto';
import { decideApproval } from '#domain/quote/quote';
import { quoteCommand } from '#plumbing/http/quote-command';
import { approvalBody } from '#plumbing/http/quote-schemas';

export const handler = quoteCommand({
  operation: 'quote-approval',
  catalog: { unavailableCode: 'APPROVAL_UNVERIFIABLE' },
  roles: ['approver'],
  body: approvalBody(),
  decide: (quote, ctx, body) => decideApproval(quote, body, { ...ctx, decisionId: `apd-${randomUUID()}` }),
});
