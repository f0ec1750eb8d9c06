/** `downstream`: a provisioning or billing system sending notices about work it accepted (channel `downstream-<system>`). */
export const roles = ['partner', 'sales', 'approver', 'ops', 'downstream'] as const;
export type Role = (typeof roles)[number];

export type Actor = {
  principalId: string;
  role: Role;
  channelId: string;
  /** Highest line discount (percent) this principal may approve. */
  approvalLimitPercent?: number;
};

export type CommandContext = { now: string; actor: Actor; correlationId: string };
