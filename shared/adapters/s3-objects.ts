import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as CredentialChain from '@aws-sdk/credential-provider-node';
import { type HttpHandler, HttpRequest, type HttpResponse } from '@smithy/core/protocols';
import { Hash } from '@smithy/core/serde';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { isTimeout, sdkRequestHandler } from '#plumbing/sdk-timeouts';

/**
 * Two S3 object requests, a conditional PUT and a GET, signed by the AWS SDK's own SigV4 signer
 * with the SDK's credential chain and sent over its HTTP transport. Not `@aws-sdk/client-s3`:
 * loading that client adds ≈ 0.5 × a minimal handler's whole init (bench/bundles.ts) for two
 * requests whose wire format is fixed. The requests are checked header by header against the S3
 * client's own in test/unit/audit/s3-evidence-store.test.ts.
 */

// The credential chain is required, not imported: the DynamoDB client has loaded it already, and
// an ES import would make Node scan the CommonJS package's source again for its export names.
const { defaultProvider } = createRequire(import.meta.url)(
  '@aws-sdk/credential-provider-node',
) as typeof CredentialChain;

export type S3ObjectsOptions = {
  region: string;
  credentials?: AwsCredentialIdentityProvider;
  /** The transport; tests hand in one that answers as S3 does. */
  http?: Pick<HttpHandler, 'handle'>;
  /** Tries per request when S3 is unreachable, busy or failing (the SDK's standard mode: 3). */
  attempts?: number;
};

/** An S3 error answer, shaped as the SDK's service errors are (`name` = S3's error code). */
export class S3RequestError extends Error {
  readonly $metadata: { httpStatusCode: number };
  readonly $fault: 'client' | 'server';
  constructor(code: string, statusCode: number, message: string) {
    super(message || code);
    this.name = code;
    this.$metadata = { httpStatusCode: statusCode };
    this.$fault = statusCode >= 500 ? 'server' : 'client';
  }
}

/** S3's key encoding: RFC 3986 per path segment (encodeURIComponent leaves !'()* alone). */
const encodeKey = (key: string) =>
  key
    .split('/')
    .map((s) =>
      encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/');

const bodyText = async (response: HttpResponse): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>)
    chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
};

const errorOf = (statusCode: number, xml: string) =>
  new S3RequestError(
    /<Code>([^<]+)<\/Code>/.exec(xml)?.[1] ?? (statusCode === 404 ? 'NotFound' : `Http${statusCode}`),
    statusCode,
    /<Message>([^<]*)<\/Message>/.exec(xml)?.[1] ?? '',
  );

/**
 * What the SDK's standard retry mode retries: no answer, throttling, or a server fault; not a
 * timed-out request (see timeoutsNotRetried).
 */
const retryable = (error: unknown) =>
  !isTimeout(error) &&
  (!(error instanceof S3RequestError) || error.$fault === 'server' || error.name === 'SlowDown');

const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(20_000, 100 * 2 ** attempt)));

export const s3Objects = (bucket: string, options: S3ObjectsOptions) => {
  const { region, attempts = 3 } = options;
  const http = options.http ?? new NodeHttpHandler(sdkRequestHandler());
  const signer = new SignatureV4({
    service: 's3',
    region,
    credentials: options.credentials ?? defaultProvider(),
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: false,
    applyChecksum: true,
  });
  const hostname = `${bucket}.s3.${region}.amazonaws.com`;

  /** One signed request, retried as the SDK would; an answer ≥ 300 is thrown as S3RequestError. */
  const send = async (method: 'GET' | 'PUT', key: string, headers: Record<string, string>, body?: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const request = new HttpRequest({
          method,
          protocol: 'https:',
          hostname,
          path: `/${encodeKey(key)}`,
          headers: { host: hostname, ...headers },
          body,
        });
        const { response } = await http.handle((await signer.sign(request)) as HttpRequest);
        const text = await bodyText(response);
        if (response.statusCode >= 300) throw errorOf(response.statusCode, text);
        return text;
      } catch (error) {
        if (attempt >= attempts || !retryable(error)) throw error;
        await pause(attempt);
      }
    }
  };

  return {
    /** PUT with `If-None-Match: *` (S3 answers 412 when the key exists) and a SHA-256 checksum S3 verifies. */
    putIfAbsent: async (key: string, body: string, contentType: string) => {
      const bytes = Buffer.from(body, 'utf8');
      await send(
        'PUT',
        key,
        {
          'content-type': contentType,
          'content-length': String(bytes.byteLength),
          'if-none-match': '*',
          'x-amz-sdk-checksum-algorithm': 'SHA256',
          'x-amz-checksum-sha256': createHash('sha256').update(bytes).digest('base64'),
        },
        body,
      );
    },
    /** The object's body, or undefined when there is none (404: the role may list the prefix; a 403 is an error). */
    get: async (key: string): Promise<string | undefined> => {
      try {
        return await send('GET', key, {});
      } catch (error) {
        if (error instanceof S3RequestError && error.$metadata.httpStatusCode === 404) return undefined;
        throw error;
      }
    },
  };
};
