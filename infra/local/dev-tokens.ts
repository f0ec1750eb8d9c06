import type { Actor } from '#domain/actor';

/** The development tokens of the API contract. Registered with the token verifier by the local stack only (never part of a Lambda bundle). */
export const devTokens: Record<string, Actor> = {
  'local-partner-a': { principalId: 'partner-a-user', role: 'partner', channelId: 'partner-a' },
  'local-partner-b': { principalId: 'partner-b-user', role: 'partner', channelId: 'partner-b' },
  'local-sales': { principalId: 'sales-user', role: 'sales', channelId: 'sales-portal' },
  'local-sales-emea': {
    principalId: 'sales-emea-user',
    role: 'sales',
    channelId: 'sales-portal',
    region: 'EMEA',
  },
  'local-finance': { principalId: 'finance-user', role: 'finance', channelId: 'finance-desk' },
  'local-support': { principalId: 'support-user', role: 'support', channelId: 'support-desk' },
  'local-approver': {
    principalId: 'approver-user',
    role: 'approver',
    channelId: 'deal-desk',
    approvalLimitPercent: 40,
  },
  'local-ops': { principalId: 'ops-user', role: 'ops', channelId: 'ops-console' },
  'local-provisioning': {
    principalId: 'provisioning-system',
    role: 'downstream',
    channelId: 'downstream-provisioning',
  },
  'local-billing': { principalId: 'billing-system', role: 'downstream', channelId: 'downstream-billing' },
};
