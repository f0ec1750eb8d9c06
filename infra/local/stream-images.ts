import type { AttributeValue } from '@aws-sdk/client-dynamodb-streams';

type Image = Record<string, AttributeValue>;

/**
 * DynamoDB Local's streams give an empty map as `{}` (no type), where DynamoDB Streams and
 * Lambda give `{"M": {}}`; an untyped value makes every consumer's unmarshall throw ("No value
 * defined"), so the record would be retried and parked locally although AWS delivers it.
 */
const typed = (value: AttributeValue): AttributeValue => {
  if (value.M !== undefined) return { M: imageAsAws(value.M as Image) };
  if (value.L !== undefined) return { L: value.L.map(typed) };
  return Object.keys(value).length === 0 ? { M: {} } : value;
};

/** A stream image as AWS delivers it (see `typed`). */
export const imageAsAws = (image: Image): Image =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, typed(value)]));

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

const asJson = (value: AttributeValue): AttributeValue => {
  if (value.B !== undefined) return { B: base64(value.B) } as never;
  if (value.BS !== undefined) return { BS: value.BS.map(base64) } as never;
  if (value.M !== undefined) return { M: jsonImage(value.M as Image) };
  if (value.L !== undefined) return { L: value.L.map(asJson) };
  return value;
};

const jsonImage = (image: Image): Image =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, asJson(value)]));

/**
 * A stream image as Lambda puts it in a function's event: AWS's, and JSON, so binary values (a
 * packed outbox envelope) are base64 text, not the bytes the Streams API gives.
 */
export const imageAsLambda = (image: Image): Image => jsonImage(imageAsAws(image));

type RecordsOutput = { Records?: { dynamodb?: { NewImage?: Image; OldImage?: Image } }[] };

/** The handlers' own stream reads (the redrive functions) get AWS's images too. */
export const deliverImagesAsAws = (client: {
  middlewareStack: { add: (middleware: never, options: { step: 'initialize'; name: string }) => void };
}): void => {
  const middleware =
    (next: (args: unknown) => Promise<{ output: RecordsOutput }>) => async (args: unknown) => {
      const result = await next(args);
      for (const record of result.output?.Records ?? []) {
        const images = record.dynamodb;
        if (images?.NewImage) images.NewImage = imageAsAws(images.NewImage);
        if (images?.OldImage) images.OldImage = imageAsAws(images.OldImage);
      }
      return result;
    };
  client.middlewareStack.add(middleware as never, { step: 'initialize', name: 'localStreamImagesAsAws' });
};
