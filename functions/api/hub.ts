import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { resolvePublic } from '#adapters/callback-addresses';
import { deleteSubscription, saveSubscription } from '#adapters/hub-store';
import { isRegionScoped } from '#domain/access/visibility';
import { INVENTORY_PATH } from '#domain/inventory/product-resource';
import { CallbackRefused } from '#domain/notification/callback-address';
import {
  type HubApi,
  type HubSubscription,
  invalidCallback,
  parseHubQuery,
  validateCallback,
} from '#domain/notification/hub';
import { ORDERING_PATH } from '#domain/order/product-order-resource';
import { QUOTE_MANAGEMENT_PATH } from '#domain/quote/tmf648-quote';
import { env } from '#plumbing/env';
import { apiHandler } from '#plumbing/http/api-handler';
import { commandHandler } from '#plumbing/http/command-handler';
import { HttpError } from '#plumbing/http/http-error';
import { hubRegistrationBody } from '#plumbing/http/tmf648-schemas';

const registrationBody = hubRegistrationBody();

/** A callback URL that is allowed and, for a DNS name, resolves to public addresses only. */
const checkedCallback = async (callback: string): Promise<string> => {
  const target = validateCallback(callback, env.hubCallbackPolicy());
  if (target.local || target.literal) return target.url;
  try {
    await resolvePublic(target.host);
  } catch (error) {
    if (error instanceof CallbackRefused) throw invalidCallback(error.message);
    throw error;
  }
  return target.url;
};

/** TMF registerListener: the subscription belongs to the caller's channel and hears only it. */
const register = (api: HubApi) =>
  commandHandler({
    operation: `${api}-hub-register`,
    roles: ['partner', 'sales', 'ops'],
    body: registrationBody,
    // The same callback and query is the same subscription.
    clientIdentity: (body) => `callback:${body.callback}|${body.query ?? ''}`,
    handle: async (req) => {
      // The channel's notifications carry every region's quotes and orders.
      if (isRegionScoped(req.principal))
        throw new HttpError(403, 'FORBIDDEN', 'A seller limited to a region cannot hear the whole channel');
      parseHubQuery(api, req.body.query);
      const subscription: HubSubscription = {
        id: `hub-${randomUUID()}`,
        api,
        channelId: req.principal.channelId,
        callback: await checkedCallback(req.body.callback),
        ...(req.body.query ? { query: req.body.query } : {}),
        createdAt: req.now,
        createdBy: req.principal.principalId,
      };
      await saveSubscription(subscription);
      return {
        status: 201,
        body: {
          id: subscription.id,
          callback: subscription.callback,
          ...(subscription.query ? { query: subscription.query } : {}),
        },
        headers: {
          Location: `${api === 'quote' ? QUOTE_MANAGEMENT_PATH : ORDERING_PATH}/hub/${subscription.id}`,
        },
      };
    },
  });

/** TMF unregisterListener: another channel's subscription id is a 404. */
const unregister = (api: HubApi) =>
  apiHandler({
    operation: `${api}-hub-unregister`,
    roles: ['partner', 'sales', 'ops'],
    handle: async (req) => {
      await deleteSubscription(api, req.principal.channelId, req.params.id ?? '');
      return { status: 204 };
    },
  });

const handlers = {
  productOrder: { POST: register('productOrder'), DELETE: unregister('productOrder') },
  quote: { POST: register('quote'), DELETE: unregister('quote') },
  product: { POST: register('product'), DELETE: unregister('product') },
};

export const handler = (event: APIGatewayProxyEvent, context: Context) => {
  const path = event.resource ?? event.path ?? '';
  const api: HubApi = path.startsWith(QUOTE_MANAGEMENT_PATH)
    ? 'quote'
    : path.startsWith(INVENTORY_PATH)
      ? 'product'
      : 'productOrder';
  return (event.httpMethod === 'DELETE' ? handlers[api].DELETE : handlers[api].POST)(event, context);
};
