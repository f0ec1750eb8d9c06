import type { TaskRef } from '#domain/order/next-step';

/**
 * How many ready tasks one workflow round dispatches. The round's task references travel in the
 * Step Functions state (256 KB per state) and its Map runs within one Express child (5 minutes):
 * a 500-item order is dispatched in bounded rounds, each asking the order again what is ready.
 */
export const dispatchBatchBounds = { maxTasks: 32, maxBytes: 192 * 1024 } as const;

const bytesOf = (ref: TaskRef): number => new TextEncoder().encode(JSON.stringify(ref)).length;

/** The first ready tasks within the bounds; always at least one, so every round makes progress. */
export const dispatchBatch = (ready: readonly TaskRef[]): TaskRef[] => {
  const batch: TaskRef[] = [];
  let bytes = 0;
  for (const ref of ready) {
    const size = bytesOf(ref);
    if (
      batch.length > 0 &&
      (batch.length >= dispatchBatchBounds.maxTasks || bytes + size > dispatchBatchBounds.maxBytes)
    )
      break;
    batch.push(ref);
    bytes += size;
  }
  return batch;
};
