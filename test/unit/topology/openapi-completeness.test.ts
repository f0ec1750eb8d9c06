import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { notifiedEventTypes } from '#domain/notification/hub';
import { openApiDocument } from '#plumbing/http/openapi-document';
import { listQuery } from '#plumbing/http/order-schemas';
import { orderSearchQuery, quoteSearchQuery } from '#plumbing/http/search-schemas';
import { retrieveQuery } from '#plumbing/http/tmf-list';
import { listQuoteQuery } from '#plumbing/http/tmf648-schemas';
import { api } from '#topology';

const doc = openApiDocument('https://api.example.com');
type Op = { parameters: { name: string; in: string; required?: boolean }[]; responses: Record<string, any> };
const operation = (method: string, path: string) =>
  (doc.paths[path] as Record<string, Op> | undefined)?.[method.toLowerCase()] as Op;
const queryNames = (op: Op) => op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
const schemaKeys = (schema: z.ZodMiniType) =>
  Object.keys((z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as any).properties ?? {});
const codesOf = (op: Op, status: string) => {
  const media = Object.values(op.responses[status]?.content ?? {})[0] as any;
  return (media?.schema.allOf?.[1].properties.code.enum ?? []) as string[];
};

const o = '/tmf-api/productOrderingManagement/v4';
const q = '/tmf-api/quoteManagement/v4';

describe('the OpenAPI document tells the whole truth', () => {
  it('names the server it describes', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: 'https://api.example.com' })]);
  });

  it('documents every query parameter the handlers validate, from their own schemas', () => {
    const expected: [string, z.ZodMiniType][] = [
      [`${o}/productOrder`, listQuery()],
      [`${o}/productOrder/{id}`, retrieveQuery()],
      [`${o}/cancelProductOrder/{id}`, retrieveQuery()],
      [`${q}/quote`, listQuoteQuery()],
      [`${q}/quote/{id}`, retrieveQuery()],
      ['/search/quotes', quoteSearchQuery],
      ['/search/orders', orderSearchQuery],
    ];
    for (const [path, schema] of expected)
      expect(queryNames(operation('GET', path)), path).toEqual(expect.arrayContaining(schemaKeys(schema)));
    expect(queryNames(operation('GET', `${o}/productOrder`))).toContain('orderDate.gte');
    for (const path of [`${o}/productOrder`, `${o}/cancelProductOrder`, `${q}/quote`])
      expect(queryNames(operation('GET', path)), path).toEqual(
        expect.arrayContaining(['fields', 'limit', 'offset']),
      );
    expect(
      operation('GET', '/reports/kpis').parameters.filter((p) => p.required && p.in === 'query'),
    ).toHaveLength(2);
  });

  it('documents every 4xx a route can answer, with its codes', () => {
    for (const route of api.routes) {
      const op = operation(route.method, route.path);
      const statuses = Object.keys(op.responses);
      const key = `${route.method} ${route.path}`;
      if (!route.public) expect(statuses, key).toEqual(expect.arrayContaining(['401', '403', '429']));
      if (route.path.includes('{')) expect(codesOf(op, '404'), key).toContain('NOT_FOUND');
      if (route.method === 'POST') {
        expect(codesOf(op, '400'), key).toEqual(
          expect.arrayContaining(['MALFORMED_REQUEST', 'IDEMPOTENCY_KEY_MISSING']),
        );
        expect(codesOf(op, '422'), key).toContain('IDEMPOTENCY_KEY_REUSED');
        expect(codesOf(op, '413'), key).toContain('PAYLOAD_TOO_LARGE');
      }
      if (queryNames(op).length > 0) expect(codesOf(op, '400'), key).toContain('MALFORMED_REQUEST');
    }
    expect(codesOf(operation('POST', `${o}/productOrder`), '409')).toContain('QUOTE_ALREADY_CONVERTED');
    expect(codesOf(operation('PATCH', `${o}/productOrder/{id}`), '422')).toContain('POINT_OF_NO_RETURN');
  });

  it('TMF creates document the client identity in place of Idempotency-Key, and Location', () => {
    for (const path of [`${o}/productOrder`, `${q}/quote`, `${o}/cancelProductOrder`, `${o}/hub`]) {
      const op = operation('POST', path);
      expect(op.parameters.find((p) => p.name === 'Idempotency-Key')?.required, path).toBe(false);
      expect(Object.keys(op.responses['201'].headers ?? {}), path).toContain('Location');
    }
    expect(operation('POST', '/quotes').parameters.find((p) => p.name === 'Idempotency-Key')?.required).toBe(
      true,
    );
  });

  it('describes the console as HTML, public routes without security, hub notifications as webhooks', () => {
    expect(Object.keys(operation('GET', '/ops/console').responses['200'].content)).toEqual(['text/html']);
    expect((doc.paths['/health'] as any).get.security).toEqual([]);
    const schemas = doc.components.schemas as Record<string, unknown>;
    for (const [hubApi, types] of Object.entries(notifiedEventTypes))
      for (const type of types) {
        const body = (doc.webhooks as any)[type].post.requestBody.content['application/json;charset=utf-8'];
        const name = body.schema.$ref.split('/').at(-1);
        expect(schemas[name], `${hubApi} ${type}`).toBeDefined();
      }
  });

  it('describes every success body with its fields, never as a bare object', () => {
    const schemas = doc.components.schemas as Record<string, any>;
    const resolve = (schema: any): any =>
      schema?.$ref ? resolve(schemas[schema.$ref.split('/').at(-1)]) : schema;
    const described = (schema: any): boolean => {
      const s = resolve(schema);
      if (s === undefined) return false;
      if (s.anyOf) return s.anyOf.every(described);
      if (s.allOf) return s.allOf.some(described);
      if (s.type === 'array') return described(s.items);
      if (s.type === 'object') return Object.keys(s.properties ?? {}).length + (s.required?.length ?? 0) > 0;
      return s.type !== undefined || s.const !== undefined;
    };
    const bare: string[] = [];
    for (const route of api.routes) {
      const op = operation(route.method, route.path);
      for (const [status, response] of Object.entries(op.responses).filter(([s]) => s.startsWith('2')))
        for (const [media, body] of Object.entries((response.content ?? {}) as Record<string, any>))
          if (!described(body.schema)) bare.push(`${route.method} ${route.path} ${status} ${media}`);
    }
    expect(bare).toEqual([]);
  });

  it('answers each quote command and view with its own schema, with the fields clients read', () => {
    const schemas = doc.components.schemas as Record<string, any>;
    const bodyOf = (method: string, path: string, status: string) =>
      (Object.values(operation(method, path).responses[status].content)[0] as any).schema.$ref
        .split('/')
        .at(-1);
    for (const path of ['/quotes/{quoteId}/price', '/quotes/{quoteId}/submit', '/quotes/{quoteId}/accept'])
      expect(bodyOf('POST', path, '200'), path).toBe('Quote');
    expect(bodyOf('POST', '/quotes', '201')).toBe('Quote');
    expect(schemas.Quote.required).toEqual(expect.arrayContaining(['id', 'version', 'state', 'lines']));
    expect(bodyOf('GET', '/views/order-tracking/{orderId}', '200')).toBe('OrderTrackingView');
    expect(schemas[bodyOf('GET', '/views/fallout', '200')].required).toEqual(
      expect.arrayContaining(['items', 'count', 'byReason']),
    );
  });
});
