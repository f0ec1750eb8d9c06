/**
 * `downstream`: a provisioning or billing system sending notices about work it accepted (channel
 * `downstream-<system>`). `finance`: KPIs and reconciliation (mismatch) reports, no audit evidence.
 * `support`: order status, tracking and timeline, without approval comments or margins.
 */
export const roles = ['partner', 'sales', 'approver', 'ops', 'downstream', 'finance', 'support'] as const;
export type Role = (typeof roles)[number];

export type Actor = {
  principalId: string;
  role: Role;
  channelId: string;
  /** Highest line discount (percent) this principal may approve. */
  approvalLimitPercent?: number;
  /** Sales only: the customer region this seller is limited to (quotes of other regions are not theirs). */
  region?: string;
};

export type CommandContext = { now: string; actor: Actor; correlationId: string };
