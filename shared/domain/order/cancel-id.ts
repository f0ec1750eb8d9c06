/**
 * Cancellation ids carry their order's id, so `GET /cancelProductOrder/{id}` reads the one order
 * aggregate that holds the cancellation, with no lookup item to keep in step.
 */
const channelCancel = /^cpo-(.+)~[0-9a-f]{8}$/;
const repairCancel = /^(.+)-cancel-repair-\d+$/;

export const channelCancelId = (orderId: string, nonce: string): string =>
  `cpo-${orderId}~${nonce.slice(0, 8)}`;

export const repairCancelId = (orderId: string, repairNumber: number): string =>
  `${orderId}-cancel-repair-${repairNumber}`;

export const orderIdOfCancel = (cancelId: string): string | undefined =>
  channelCancel.exec(cancelId)?.[1] ?? repairCancel.exec(cancelId)?.[1];
