import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { callbackTarget } from '#domain/notification/callback-address';
import { deliveryPolicy } from '#domain/notification/hub';
import { env } from '#plumbing/env';
import { checkedLookup } from './callback-addresses.ts';

/**
 * POSTs a notification to a hub callback and answers the HTTP status. The URL is checked again
 * (a subscription may predate the rules); a DNS name connects to the address `checkedLookup`
 * checked, never to a second resolution. Redirects are not followed (Node's request never does),
 * so a 3xx is a failed attempt. A refused target throws `CallbackRefused`.
 */
export const postCallback = (callback: string, body: string, headers: Record<string, string>) => {
  const target = callbackTarget(callback, env.hubCallbackPolicy());
  const url = new URL(target.url);
  return new Promise<number>((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        ...(target.local || target.literal ? {} : { lookup: checkedLookup }),
        signal: AbortSignal.timeout(deliveryPolicy.timeoutMs),
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
};
