/**
 * What every fulfillment run starts from, whoever starts it (the creation or repair event, a
 * reconciliation restart): the order, the correlation id its steps carry, and the loop counter at
 * zero. The counter comes with the input rather than from a first Pass state, which Step
 * Functions Standard would bill as one more transition on every order.
 */
export type WorkflowInput = { orderId: string; correlationId: string; loops: 0 };

export const workflowInput = (orderId: string, correlationId: string): WorkflowInput => ({
  orderId,
  correlationId,
  loops: 0,
});
