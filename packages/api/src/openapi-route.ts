import { type Context, Hono, type MiddlewareHandler } from 'hono';
import type * as z from 'zod';
import { type Capability, rolesOf } from './access-policy.js';
import { requireRoles } from './auth.js';
import type { ApiDeps, AppEnv } from './deps.js';
import { jsonBody, parseBody } from './json-body.js';
import { type PathIdKind, pathId } from './path-ids.js';

/** Who may call a route: staff holding a capability of `POLICY`, anyone, or the SMS aggregator's signature. */
export type Access = Capability | 'public' | 'webhook';

/** A body: a zod schema (JSON), or a media type with a description of what travels in it. */
export type BodySpec = z.ZodType | { readonly type: string; readonly description: string };

/** Errors a route may answer besides 401/403 (every staff route) and 413 (every route). */
export type ErrorStatus = 400 | 404 | 409 | 413 | 415 | 429;

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface QuerySpec {
  readonly required?: boolean;
  readonly description: string;
  readonly schema?: z.ZodType;
}

/** One route of the JSON API, as it is registered and as `/openapi.json` and `/docs` describe it. */
export interface RouteDeclaration<
  B extends z.ZodType | undefined = z.ZodType | undefined,
  P extends string = string,
> {
  readonly method: Method;
  /** As hono registers it: `/api/v1/campaigns/:id/activate`. */
  readonly path: string;
  readonly summary: string;
  readonly access: Access;
  /** Each path parameter and the id it is (`path-ids.ts`): a malformed one is a 404 before the handler. */
  readonly params?: Readonly<Record<P, PathIdKind>>;
  readonly query?: Readonly<Record<string, QuerySpec>>;
  /** The JSON body, parsed before the handler (strict for staff: unknown fields are a 400 naming them). */
  readonly body?: B;
  /** Bodies the handler reads itself (a bank's CSV, the webhook's signed bytes): documented only. */
  readonly otherBodies?: readonly BodySpec[];
  readonly ok: { readonly status: number; readonly description: string; readonly body?: BodySpec };
  /** Other successes, e.g. 202 when a proposal waits for a second officer. */
  readonly alsoOk?: readonly { readonly status: number; readonly description: string }[];
  readonly errors?: readonly ErrorStatus[];
  /** Middleware after the role check and before the handler (e.g. a public route's rate limit). */
  readonly use?: readonly MiddlewareHandler<AppEnv>[];
}

type BodyOf<B> = B extends z.ZodType ? z.output<B> : undefined;
/** The handler gets the parsed body and the path ids, checked against their patterns. */
export type RouteHandler<B, P extends string> = (
  c: Context<AppEnv>,
  body: BodyOf<B>,
  params: Readonly<Record<P, string>>,
) => Response | Promise<Response>;

/** A route declared wrongly: found when the app is built, never at a request. */
export class RouteDeclarationError extends Error {}

export const isStaffAccess = (access: Access): access is Capability =>
  access !== 'public' && access !== 'webhook';

/**
 * A group of routes that registers each route on a hono app and keeps its declaration, so the
 * document is generated from the routes themselves. See `routes/README.md`.
 */
export class ApiRoutes {
  readonly app = new Hono<AppEnv>();
  readonly declarations: RouteDeclaration[] = [];

  constructor(private readonly deps: Partial<Pick<ApiDeps, 'verifyToken'>> = {}) {}

  declare<B extends z.ZodType | undefined = undefined, P extends string = never>(
    route: RouteDeclaration<B, P>,
    handler: RouteHandler<B, P>,
  ): this {
    const guards: MiddlewareHandler<AppEnv>[] = [];
    if (isStaffAccess(route.access)) {
      // Read at request time: building the app only wires routes (tests pass deps that are never called).
      const verifyToken = (token: string) => {
        if (!this.deps.verifyToken) throw new RouteDeclarationError(`${route.path} needs verifyToken`);
        return this.deps.verifyToken(token);
      };
      guards.push(requireRoles({ verifyToken }, ...rolesOf(route.access)));
    }
    guards.push(...(route.use ?? []));
    const strict = isStaffAccess(route.access);
    const params = Object.entries<PathIdKind>(route.params ?? ({} as Record<P, PathIdKind>));
    this.app.on(route.method, [route.path], ...guards, async (c) => {
      const ids = Object.fromEntries(params.map(([name, kind]) => [name, pathId(kind, c.req.param(name))]));
      const body = route.body ? parseBody(route.body, await jsonBody(c), { strict }) : undefined;
      return handler(c, body as BodyOf<B>, ids as Record<P, string>);
    });
    this.declarations.push(route as RouteDeclaration);
    return this;
  }
}
