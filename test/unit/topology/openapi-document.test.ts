import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '#plumbing/http/openapi-document';
import { api } from '#topology';
import { componentsFile, renderComponents } from '../../../scripts/tmf-components.ts';

const doc = openApiDocument();
const operation = (method: string, path: string) =>
  (doc.paths[path] as Record<string, any> | undefined)?.[method.toLowerCase()];

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(JSON.parse(JSON.stringify(doc)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every route of the topology, with Idempotency-Key on state-changing POSTs and unique operation ids', () => {
    const ids = new Set<string>();
    for (const route of api.routes) {
      const op = operation(route.method, route.path);
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      const names = (op.parameters as { name: string }[]).map((p) => p.name);
      if (route.method === 'POST') expect(names, route.path).toContain('Idempotency-Key');
      expect(op.responses.default, 'no catch-all: every 4xx is documented').toBeUndefined();
      expect(op.responses['5XX']).toBeDefined();
      expect(ids.has(op.operationId), op.operationId).toBe(false);
      ids.add(op.operationId);
    }
  });

  it('derives request bodies from the validation schemas', () => {
    const create = operation('POST', '/quotes').requestBody.content['application/json'].schema;
    expect(create.required).toEqual(expect.arrayContaining(['customer', 'currency', 'lines']));
  });

  it('names TMF operations as TM Forum does and answers with the TMF resources', () => {
    const o = '/tmf-api/productOrderingManagement/v4';
    const q = '/tmf-api/quoteManagement/v4';
    const expected: [string, string, string, string][] = [
      ['POST', `${o}/productOrder`, 'createProductOrder', 'TMF622_ProductOrder'],
      ['GET', `${o}/productOrder/{id}`, 'retrieveProductOrder', 'TMF622_ProductOrder'],
      ['PATCH', `${o}/productOrder/{id}`, 'patchProductOrder', 'TMF622_ProductOrder'],
      ['POST', `${o}/cancelProductOrder`, 'createCancelProductOrder', 'TMF622_CancelProductOrder'],
      ['GET', `${o}/cancelProductOrder/{id}`, 'retrieveCancelProductOrder', 'TMF622_CancelProductOrder'],
      ['POST', `${o}/hub`, 'registerListener', 'TMF622_EventSubscription'],
      ['POST', `${q}/quote`, 'createQuote', 'TMF648_Quote'],
      ['GET', `${q}/quote/{id}`, 'retrieveQuote', 'TMF648_Quote'],
      ['PATCH', `${q}/quote/{id}`, 'patchQuote', 'TMF648_Quote'],
    ];
    for (const [method, path, id, schema] of expected) {
      const op = operation(method, path);
      expect(op.operationId, `${method} ${path}`).toBe(id);
      const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'))?.[1] as any;
      const described = success.content['application/json;charset=utf-8'].schema;
      // Retrieves select `fields`: the resource or a partial one.
      expect((described.anyOf?.[0] ?? described).$ref).toBe(`#/components/schemas/${schema}`);
    }
    expect(operation('DELETE', `${o}/hub/{id}`).operationId).toBe('unregisterListener');
    expect(operation('POST', `${q}/hub`).operationId).toBe('quoteManagement_registerListener');
    expect(Object.keys(operation('GET', `${o}/productOrder`).responses['200'].headers)).toEqual([
      'X-Total-Count',
      'X-Result-Count',
    ]);
    expect(Object.keys(operation('POST', `${q}/quote`).responses['201'].headers)).toContain('Location');
  });

  it('embeds the TMF definitions from conformance/ as they are today', () => {
    expect(readFileSync(componentsFile, 'utf8')).toBe(renderComponents());
  });
});
