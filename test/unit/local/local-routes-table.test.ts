import { describe, expect, it } from 'vitest';
import { matchRoute } from '#local/local-router';
import { localRoutes } from '#local/local-routes';

/** A concrete path for a route pattern: each `{name}` filled, a trailing `{name*}` with two segments. */
const samplePath = (pattern: string) =>
  pattern.replace(/\{(\w+)\*\}/, '$1-a/$1-b').replace(/\{(\w+)\}/g, '$1-value');

describe('local-only routes as one table', () => {
  it('reaches every declared route: none is shadowed by an earlier one', () => {
    for (const route of localRoutes.filter((r) => r.method !== '*')) {
      const found = matchRoute(localRoutes, route.port, route.method, samplePath(route.path));
      expect(found?.route, `${route.method} ${route.path}`).toBe(route);
    }
  });

  it('hands the path parameters over decoded, a trailing `*` parameter with its slashes', () => {
    const found = matchRoute(localRoutes, 'public', 'GET', '/ops/local/dynamo-requests/a%20b/c');
    expect(found?.params).toEqual({ requestId: 'a b/c' });
    expect(matchRoute(localRoutes, 'public', 'PUT', '/sim/billing/faults')?.params).toEqual({
      system: 'billing',
    });
  });

  it('keeps the prefixes the local stack owns away from the API, and the simulators off the public port', () => {
    expect(matchRoute(localRoutes, 'public', 'PATCH', '/ops/local/anything')?.route.auth).toBe('ops');
    expect(matchRoute(localRoutes, 'public', 'GET', '/sim/billing')?.route.auth).toBe('ops');
    expect(matchRoute(localRoutes, 'public', 'POST', '/downstream/billing/subscriptions')).toBeUndefined();
    expect(matchRoute(localRoutes, 'public', 'GET', '/quotes/q-1')).toBeUndefined();
    expect(matchRoute(localRoutes, 'internal', 'GET', '/health')).toBeUndefined();
  });
});
