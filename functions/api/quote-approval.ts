import { randomUUID } from 'node:crypto';
import { quoteCommand } from '#commands/quote-endpoint';
import { decideApproval } from '#domain/quote/quote';
import { approvalBody } from '#plumbing/http/quote-schemas';

export const handler = quoteCommand({
  operation: 'quote-approval',
  catalog: { unavailableCode: 'APPROVAL_UNVERIFIABLE' },
  roles: ['approver'],
  body: approvalBody(),
  decide: (quote, ctx, body) => decideApproval(quote, body, { ...ctx, decisionId: `apd-${randomUUID()}` }),
});
