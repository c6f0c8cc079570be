import * as z from 'zod';
import { POLICY } from './access-policy.js';
import type { BodySpec, RouteDeclaration } from './openapi-route.js';
import { isStaffAccess } from './openapi-route.js';
import { pathIdSchema } from './path-ids.js';

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: { description: 'What is wrong: [{ path, message }] for invalid or unknown fields' },
      },
    },
    requestId: { type: 'string' },
  },
};

const ERRORS: Record<number, string> = {
  400: 'Invalid input: details name each invalid field, and each unknown field of a staff request',
  401: 'No or bad token',
  403: 'Role not allowed, or maker-checker: the same person may not confirm',
  404: 'Unknown (a malformed id is unknown too)',
  409: 'Conflicts with the current state (e.g. someone else acted first)',
  413: 'Body over 256 KiB',
  415: 'Unsupported media type',
  429: 'Too many attempts from this address or for this phone; retry-after says when',
};

/** `/api/v1/campaigns/:id` as OpenAPI writes it: `/api/v1/campaigns/{id}`. */
export const openApiPath = (honoPath: string) => honoPath.replace(/:(\w+)/g, '{$1}');

type JsonSchema = Record<string, unknown>;

/** Every object of a staff body refuses unknown fields, as `parseBody` does: the document says so. */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (typeof schema !== 'object' || schema === null) return schema;
  const closed: JsonSchema = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, closeObjects(value)]),
  );
  if (closed.type === 'object' && closed.properties && closed.additionalProperties === undefined)
    closed.additionalProperties = false;
  return closed;
}

/** A request is documented as it is sent (`io: 'input'`), a response as it is returned. */
const schemaOf = (schema: z.ZodType, strict = false, io: 'input' | 'output' = 'input'): JsonSchema => {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  const { $schema: _dialect, ...rest } = json;
  return (strict ? closeObjects(rest) : rest) as JsonSchema;
};

function content(bodies: readonly BodySpec[], strict: boolean, io: 'input' | 'output' = 'input') {
  return Object.fromEntries(
    bodies.map((b) =>
      b instanceof z.ZodType
        ? ['application/json', { schema: schemaOf(b, strict, io) }]
        : [b.type, { schema: { description: b.description } }],
    ),
  );
}

function operationOf(route: RouteDeclaration) {
  const staff = isStaffAccess(route.access);
  const roles = staff ? [...POLICY[route.access as keyof typeof POLICY], 'admin'] : undefined;
  const params = Object.entries(route.params ?? {}).map(([name, kind]) => ({
    name,
    in: 'path',
    required: true,
    schema: schemaOf(pathIdSchema(kind)),
  }));
  const names = new Set(Object.keys(route.params ?? {}));
  const unnamed = [...route.path.matchAll(/:(\w+)/g)]
    .map(([, name]) => name ?? '')
    .filter((name) => !names.has(name))
    .map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  const query = Object.entries(route.query ?? {}).map(([name, q]) => ({
    name,
    in: 'query',
    required: q.required ?? false,
    description: q.description,
    schema: q.schema ? schemaOf(q.schema) : { type: 'string' },
  }));
  const bodies = [...(route.body ? [route.body] : []), ...(route.otherBodies ?? [])];
  const errors = [...new Set([...(route.errors ?? []), ...(staff ? [401, 403] : []), 413])].sort();
  return {
    operationId: `${route.method.toLowerCase()}${openApiPath(route.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: route.summary,
    security:
      route.access === 'public'
        ? []
        : route.access === 'webhook'
          ? [{ webhookSignature: [] }]
          : [{ bearer: [] }],
    ...(staff ? { 'x-roles': roles, 'x-capability': route.access } : {}),
    ...(params.length + unnamed.length + query.length > 0
      ? { parameters: [...params, ...unnamed, ...query] }
      : {}),
    ...(bodies.length > 0 ? { requestBody: { required: true, content: content(bodies, staff) } } : {}),
    responses: {
      [route.ok.status]: {
        description: route.ok.description,
        ...(route.ok.body ? { content: content([route.ok.body], false, 'output') } : {}),
      },
      ...Object.fromEntries((route.alsoOk ?? []).map((ok) => [ok.status, { description: ok.description }])),
      ...Object.fromEntries(
        errors.map((status) => [
          status,
          { description: ERRORS[status], content: { 'application/json': { schema: errorSchema } } },
        ]),
      ),
    },
  };
}

/**
 * The OpenAPI document, generated from the routes' own declarations (`openapi-route.ts`): each
 * route's roles (`x-roles`, from `POLICY`), path ids with their patterns, query parameters, request
 * bodies from the zod schemas the route parses with (staff bodies closed to unknown fields),
 * responses and error codes.
 */
export function buildOpenApi(routes: readonly RouteDeclaration[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const key = openApiPath(route.path);
    paths[key] = { ...paths[key], [route.method.toLowerCase()]: operationOf(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Madad',
      version: '0.1.0',
      description:
        'Shock-responsive enrollment for social protection. Staff routes need `Authorization: Bearer <staff JWT>` with one of the roles in `x-roles` (admin may call every route); staff JSON bodies refuse unknown fields with a 400 naming them. Errors are `{ error: { code, message, details? }, requestId }`. A readable version of this document is served at /docs.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        webhookSignature: { type: 'apiKey', in: 'header', name: 'X-Madad-Signature' },
      },
    },
    paths,
  };
}
