import { describe, expect, it } from 'vitest';
import { imageAsAws } from '../../../infra/local/stream-images.ts';

describe('stream images as AWS delivers them', () => {
  it("types DynamoDB Local's untyped empty maps as maps, at any depth, and leaves everything else as it is", () => {
    const local = {
      pk: { S: 'OUTBOX#ORDER#po-1' },
      itemDependencies: {},
      taskIds: { L: [] },
      envelope: { M: { resource: { M: { itemDependencies: {}, items: { L: [{}, { N: '1' }] } } } } },
    };
    expect(imageAsAws(local as never)).toEqual({
      pk: { S: 'OUTBOX#ORDER#po-1' },
      itemDependencies: { M: {} },
      taskIds: { L: [] },
      envelope: {
        M: { resource: { M: { itemDependencies: { M: {} }, items: { L: [{ M: {} }, { N: '1' }] } } } },
      },
    });
  });
});
