export type Role = 'partner' | 'sales' | 'approver' | 'ops';

export type Actor = {
  principalId: string;
  role: Role;
  channelId: string;
  /** Highest line discount (percent) this principal may approve. */
  approvalLimitPercent?: number;
};

export type CommandContext = { now: string; actor: Actor; correlationId: string };
