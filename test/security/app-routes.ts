import { type ApiDeps, createApp } from '@madad/api';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One route as hono registered it: `POST /api/v1/campaigns/:id/activate`. */
export interface AppRoute {
  readonly method: Method;
  readonly path: string;
}

/**
 * Every route of the real app, read from `app.routes` (method and pattern; middleware entries are
 * dropped). Building the app only wires routes, so deps that are never called are enough.
 */
export function appRoutes(): AppRoute[] {
  const unused = new Proxy({}, { get: () => undefined }) as ApiDeps;
  const seen = new Map<string, AppRoute>();
  for (const { method, path } of createApp(unused).routes) {
    if (method === 'ALL' || path.includes('*')) continue;
    seen.set(`${method} ${path}`, { method: method as Method, path });
  }
  return [...seen.values()];
}

export const routeKey = (route: AppRoute) => `${route.method} ${route.path}`;

/**
 * Fills a route pattern's parameters: `values(name)` for plain ones, the first alternative for a
 * constrained one (`:action{approve|reject}` becomes `approve`), so the request reaches the handler.
 */
export function fillPath(pattern: string, values: (name: string) => string): string {
  return pattern.replace(/:(\w+)(\{([^}]*)\})?/g, (_m, name: string, _c, constraint?: string) =>
    constraint ? (constraint.split('|')[0] ?? '') : values(name),
  );
}
