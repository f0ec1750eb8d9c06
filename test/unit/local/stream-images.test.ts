import { describe, expect, it } from 'vitest';
import { imageAsAws, imageAsLambda } from '../../../infra/local/stream-images.ts';

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

  it('gives binary values base64-encoded in a Lambda event, as its JSON does, at any depth', () => {
    const bytes = new Uint8Array([0, 1, 254, 255]);
    const local = {
      packedEnvelope: { B: bytes },
      nested: { M: { b: { B: bytes }, set: { BS: [bytes] }, empty: {} } },
      itemType: { S: 'outbox' },
    };
    expect(imageAsLambda(local as never)).toEqual({
      packedEnvelope: { B: 'AAH+/w==' },
      nested: { M: { b: { B: 'AAH+/w==' }, set: { BS: ['AAH+/w=='] }, empty: { M: {} } } },
      itemType: { S: 'outbox' },
    });
  });
});
