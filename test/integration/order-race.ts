import type * as repository from '#adapters/order-repository';

/**
 * Workflow writes that land between a command's read of the order and its write: a test file
 * mocks the repository with `racingRepository` and pushes here what should land in between.
 * No import of the repository itself, so the mock's factory can load this file.
 */
export const racing: (() => Promise<unknown>)[] = [];

export const racingRepository = (real: typeof repository): typeof repository => ({
  ...real,
  loadOrderFor: async (...args: Parameters<typeof real.loadOrderFor>) => {
    const stored = await real.loadOrderFor(...args);
    await racing.shift()?.();
    return stored;
  },
});
