import { serviceTargets } from '#signals';
import { emit } from './metrics.ts';

/** The billing acknowledgement SLO (shared/slos.ts): every acknowledged handoff, and the late ones. */
export const emitBillingAcknowledgement = (latencyMs: number): void => {
  emit('BillingAcknowledged', 1);
  if (latencyMs > serviceTargets.billingAckMs) emit('BillingAckLate', 1);
};
