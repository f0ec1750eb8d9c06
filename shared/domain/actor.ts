export const roles = ['partner', 'sales', 'approver', 'ops'] as const;
export type Role = (typeof roles)[number];

export type Actor = {
  principalId: string;
  role: Role;
  channelId: string;
  /** Highest line discount (percent) this principal may approve. */
  approvalLimitPercent?: number;
};

export type CommandContext = { now: string; actor: Actor; correlationId: string };
