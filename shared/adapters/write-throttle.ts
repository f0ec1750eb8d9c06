/**
 * Paces a loop to at most `perSecond` steps a second (a steady rate, not bursts): the rebuild's
 * writes then take a bounded share of the table's capacity and the live projector keeps the rest.
 */
export const writeThrottle = (perSecond: number) => {
  const interval = 1000 / perSecond;
  let next = Date.now();
  return async (): Promise<void> => {
    const wait = next - Date.now();
    next = Math.max(next, Date.now()) + interval;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  };
};
