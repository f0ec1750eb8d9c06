import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type HttpRequest, HttpResponse } from '@smithy/core/protocols';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { s3EvidenceStore } from '#adapters/s3-evidence-store';
import { S3RequestError } from '#adapters/s3-objects';

/**
 * The evidence store's S3 requests are signed by hand-picked SDK parts, not by the S3 client.
 * Reference: the S3 client's own requests for the same calls, captured at the transport. Then
 * the store's answers to what S3 sends back (conflicts, missing keys, outages).
 */
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const region = 'eu-west-1';
const bucket = 'cpq-evidence';
const key = 'orders/PO 1/v3 (billing)!.json';
const body = '{"orderId":"PO 1","state":"completed"}';

type Answer = { status: number; body?: string } | Error;
const xmlError = (code: string) =>
  `<?xml version="1.0"?><Error><Code>${code}</Code><Message>m</Message></Error>`;

/** A transport that records requests and answers from a script, as S3 would over HTTP. */
const transport = (answers: Answer[] = []) => {
  const requests: HttpRequest[] = [];
  return {
    requests,
    handle: async (request: HttpRequest) => {
      requests.push(request);
      const answer = answers.shift() ?? { status: 200 };
      if (answer instanceof Error) throw answer;
      return {
        response: new HttpResponse({
          statusCode: answer.status,
          headers: {},
          body: Readable.from([answer.body ?? '']),
        }),
      };
    },
  };
};

const storeOver = (answers: Answer[]) => {
  const http = transport(answers);
  return { http, store: s3EvidenceStore(bucket, { region, credentials: async () => credentials, http }) };
};

/** Headers only the SDK client sends: telemetry, and a response-checksum opt-in on GET. */
const sdkOnly = /^(user-agent|x-amz-user-agent|amz-sdk-.*|x-amz-checksum-mode|authorization)$/;
const signedHeaders = (r: HttpRequest) =>
  /SignedHeaders=([^,]+)/.exec(r.headers.authorization ?? '')?.[1]?.split(';');

describe('S3 evidence store: requests as the S3 client sends them', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-24T10:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  const reference = async () => {
    const http = transport([{ status: 200 }, { status: 200, body }]);
    const client = new S3Client({ region, credentials, requestHandler: http });
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: 'application/json',
        IfNoneMatch: '*',
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return http.requests;
  };

  it('seals with the same method, host, encoded key and content headers, every one of them signed', async () => {
    const [sdkPut, sdkGet] = await reference();
    const { http, store } = storeOver([{ status: 200 }, { status: 200, body }]);
    await store.seal(key, body);
    await store.read(key);
    const [put, get] = http.requests;
    for (const [ours, sdk] of [
      [put!, sdkPut!],
      [get!, sdkGet!],
    ] as const) {
      expect({ method: ours.method, protocol: ours.protocol, host: ours.hostname, path: ours.path }).toEqual({
        method: sdk.method,
        protocol: sdk.protocol,
        host: sdk.hostname,
        path: sdk.path,
      });
      const wanted = Object.entries(sdk.headers).filter(([name]) => !sdkOnly.test(name));
      expect(Object.fromEntries(Object.entries(ours.headers).filter(([n]) => n !== 'authorization'))).toEqual(
        Object.fromEntries(wanted),
      );
      expect(ours.headers.authorization?.split(', Signature=')[0]?.split('SignedHeaders=')[0]).toBe(
        sdk.headers.authorization?.split(', Signature=')[0]?.split('SignedHeaders=')[0],
      );
      expect(signedHeaders(ours)).toEqual(
        Object.keys(ours.headers)
          .filter((n) => n !== 'authorization')
          .sort(),
      );
    }
    expect(put!.headers['if-none-match']).toBe('*');
    expect(put!.path).toBe('/orders/PO%201/v3%20%28billing%29%21.json');
  });
});

describe('S3 evidence store: what S3 answers', () => {
  it('reads a missing key as no evidence', async () => {
    const { store } = storeOver([{ status: 404, body: xmlError('NoSuchKey') }]);
    expect(await store.read(key)).toBeUndefined();
  });

  it('keeps the first sealed copy when the key exists (412) and returns it', async () => {
    const first = '{"orderId":"PO 1","state":"in-progress"}';
    const { http, store } = storeOver([
      { status: 412, body: xmlError('PreconditionFailed') },
      { status: 200, body: first },
    ]);
    expect(await store.seal(key, body)).toEqual({
      location: `s3://${bucket}/${key}`,
      body: first,
      sealedNow: false,
    });
    expect(http.requests.map((r) => r.method)).toEqual(['PUT', 'GET']);
  });

  it('fails a seal that conflicted (409) when nothing is stored yet, so the event is retried', async () => {
    const { store } = storeOver([
      { status: 409, body: xmlError('ConditionalRequestConflict') },
      { status: 404, body: xmlError('NoSuchKey') },
    ]);
    await expect(store.seal(key, body)).rejects.toMatchObject({
      name: 'ConditionalRequestConflict',
      $metadata: { httpStatusCode: 409 },
    });
  });

  it('retries throttling and lost connections, as the SDK does', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const { http, store } = storeOver([{ status: 503, body: xmlError('SlowDown') }, reset, { status: 200 }]);
    expect((await store.seal(key, body)).sealedNow).toBe(true);
    expect(http.requests).toHaveLength(3);
  });

  it('gives up after 3 tries with an error that says it was S3 (a dependency outage, not a defect)', async () => {
    const failing = { status: 500, body: xmlError('InternalError') };
    const { http, store } = storeOver([failing, failing, failing]);
    const error = await store.read(key).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S3RequestError);
    expect(error).toMatchObject({
      name: 'InternalError',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });
    expect(http.requests).toHaveLength(3);
  });

  it('does not retry a refusal (403)', async () => {
    const { http, store } = storeOver([{ status: 403, body: xmlError('AccessDenied') }]);
    await expect(store.seal(key, body)).rejects.toMatchObject({ name: 'AccessDenied', $fault: 'client' });
    expect(http.requests).toHaveLength(1);
  });
});
