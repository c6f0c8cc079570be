import * as z from 'zod';
import { type BodySpec, OPERATIONS, type OperationSpec } from './openapi-routes.js';

const errorSchema = {
  type: 'object',
  properties: {
    error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
    requestId: { type: 'string' },
  },
};

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });

const ERRORS: Record<number, string> = {
  400: 'Invalid input (unknown fields refused)',
  401: 'No or bad token',
  403: 'Role not allowed, or maker-checker: the same person may not confirm',
  404: 'Unknown',
  409: 'Conflicts with the current state (e.g. someone else acted first)',
  413: 'Body over 256 KiB',
  415: 'Unsupported media type',
};

/** `/api/v1/campaigns/:id` as OpenAPI writes it: `/api/v1/campaigns/{id}`. */
export const openApiPath = (honoPath: string) => honoPath.replace(/:(\w+)/g, '{$1}');

const schemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

function content(bodies: BodySpec | readonly BodySpec[]) {
  const list: readonly BodySpec[] = Array.isArray(bodies) ? bodies : [bodies as BodySpec];
  return Object.fromEntries(
    list.map((b) =>
      b instanceof z.ZodType
        ? ['application/json', { schema: schemaOf(b) }]
        : [b.type, { schema: { description: b.description } }],
    ),
  );
}

function operationOf(spec: OperationSpec, path: string) {
  const staffRoles = typeof spec.access === 'string' ? undefined : [...spec.access, 'admin'];
  const params = [...path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = Object.entries(spec.query ?? {}).map(([name, q]) => ({
    name,
    in: 'query',
    required: q.required ?? false,
    description: q.description,
    schema: q.schema ? schemaOf(q.schema) : { type: 'string' },
  }));
  const errors = [...(spec.errors ?? []), ...(staffRoles ? [401, 403] : []), 413].sort();
  return {
    summary: spec.summary,
    security:
      spec.access === 'public'
        ? []
        : spec.access === 'webhook'
          ? [{ webhookSignature: [] }]
          : [{ bearer: [] }],
    ...(staffRoles ? { 'x-roles': staffRoles } : {}),
    ...(params.length + query.length > 0 ? { parameters: [...params, ...query] } : {}),
    ...(spec.request ? { requestBody: { required: true, content: content(spec.request) } } : {}),
    responses: {
      [spec.ok.status]: {
        description: spec.ok.description,
        ...(spec.ok.body ? { content: content(spec.ok.body) } : {}),
      },
      ...Object.fromEntries(
        [...new Set(errors)].map((status) => [status, { description: ERRORS[status], ...json(errorSchema) }]),
      ),
    },
  };
}

function pathsOf(operations: readonly OperationSpec[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of operations) {
    const [method = '', path = ''] = spec.route.split(' ');
    const key = openApiPath(path);
    paths[key] = { ...paths[key], [method.toLowerCase()]: operationOf(spec, path) };
  }
  return paths;
}

/**
 * The OpenAPI document, built from `OPERATIONS` (every route with its roles as `x-roles`): request
 * bodies from the zod schemas the routes parse with, responses from zod where one exists.
 */
export function buildOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Madad',
      version: '0.1.0',
      description: 'Shock-responsive enrollment for social protection',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        webhookSignature: { type: 'apiKey', in: 'header', name: 'X-Madad-Signature' },
      },
    },
    paths: pathsOf(OPERATIONS),
  };
}
