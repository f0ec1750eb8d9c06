import type { OwnerTeam } from '#domain/order/fulfillment-task';

export type JeopardyType = 'atRisk' | 'breached';

export type JeopardyAlert = {
  id: string;
  '@type': 'JeopardyAlert';
  alertDate: string;
  jeopardyType: JeopardyType;
  name: string;
  message: string;
  productOrderItem: { productOrderItemId: string }[];
  owner: OwnerTeam;
  nextAction: string;
};
