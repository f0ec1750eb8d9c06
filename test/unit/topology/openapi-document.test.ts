import { describe, expect, it } from 'vitest';
import { openApiDocument } from '#plumbing/http/openapi-document';
import { api } from '#topology';

describe('OpenAPI document', () => {
  const doc = openApiDocument();

  it('documents every route of the topology, with Idempotency-Key on state-changing POSTs', () => {
    for (const route of api.routes) {
      const op = (doc.paths[route.path] as Record<string, any>)?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      const names = (op.parameters as { name: string }[]).map((p) => p.name);
      if (route.method === 'POST') expect(names, route.path).toContain('Idempotency-Key');
    }
  });

  it('derives request bodies from the validation schemas', () => {
    const create = (doc.paths['/quotes'] as Record<string, any>).post.requestBody.content['application/json']
      .schema;
    expect(create.required).toEqual(expect.arrayContaining(['customer', 'currency', 'lines']));
  });
});
