import { type ApiDeps, createApp } from '@madad/api';
import { LimitChangeSchema } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { appRoutes, routeKey } from './app-routes.js';
import { API_ROUTES, PUBLIC_API_ROUTES } from './authorization-table.js';

/** HTML pages and form posts of the public site: not part of the JSON API's document. */
const WEB_PAGES: readonly string[] = [
  'GET /assets/web.js',
  'GET /',
  'POST /register',
  'GET /registered/:reference',
  'GET /status',
  'POST /status',
  'GET /campaigns/:id',
];
/** The staff console's pages (the authorization matrix holds each to its roles). */
const isConsolePage = (key: string) => /^[A-Z]+ \/console(\/|$)/.test(key);

interface Operation {
  security?: Record<string, unknown>[];
  parameters?: unknown[];
  'x-roles'?: string[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, unknown>;
}
type Document = { paths: Record<string, Record<string, Operation>> };

async function served(): Promise<Document> {
  const unused = new Proxy({}, { get: () => undefined }) as ApiDeps;
  const response = await createApp(unused).request('/openapi.json');
  expect(response.status).toBe(200);
  return (await response.json()) as Document;
}

/**
 * The document's `METHOD /path/{param}` keys for one app route: a constrained parameter
 * (`:action{propose|approve|reject}`) is one documented path per alternative.
 */
function documentedKeys(route: string): string[] {
  const [method = '', path = ''] = route.split(' ');
  const constrained = /:(\w+)\{([^}]*)\}/.exec(path);
  const paths = constrained
    ? (constrained[2] ?? '').split('|').map((value) => path.replace(constrained[0], value))
    : [path];
  return paths.map((p) => `${method} ${p.replace(/:(\w+)/g, '{$1}')}`);
}

function operations(doc: Document): Map<string, Operation> {
  return new Map(
    Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as const),
    ),
  );
}

const apiRoutes = () =>
  appRoutes()
    .map(routeKey)
    .filter((key) => !WEB_PAGES.includes(key) && !isConsolePage(key));

describe('GET /openapi.json', () => {
  it('documents every route of the app that is not an HTML page', async () => {
    const documented = operations(await served());

    const missing = apiRoutes().filter((route) => documentedKeys(route).some((key) => !documented.has(key)));

    expect(missing).toEqual([]);
  });

  it('documents no route the app does not have', async () => {
    const routes = new Set(apiRoutes().flatMap(documentedKeys));

    const stale = [...operations(await served()).keys()].filter((key) => !routes.has(key));

    expect(stale).toEqual([]);
  });

  it('gives each staff route the roles the authorization table holds the app to, and public routes no login', async () => {
    const documented = operations(await served());

    for (const entry of API_ROUTES) {
      for (const key of documentedKeys(entry.route)) {
        expect({ key, roles: documented.get(key)?.['x-roles'] }).toEqual({
          key,
          roles: [...entry.allowed, 'admin'],
        });
        expect(documented.get(key)?.security).toEqual([{ bearer: [] }]);
      }
    }
    for (const route of PUBLIC_API_ROUTES) {
      expect({ route, security: documented.get(documentedKeys(route)[0] ?? '')?.security }).toEqual({
        route,
        security: [],
      });
    }
    expect(documented.get('POST /sms/inbound')?.security).toEqual([{ webhookSignature: [] }]);
  });

  it("renders request bodies from the routes' zod schemas, unknown fields refused where the schema refuses them", async () => {
    const documented = operations(await served());

    const limits = documented.get('PATCH /api/v1/campaigns/{id}/limits')?.requestBody?.content[
      'application/json'
    ];
    const batch = documented.get('POST /api/v1/payment-batches')?.requestBody?.content['application/json'];
    const approve = documented.get('POST /api/v1/change-requests/{householdId}/{requestId}/approve');

    expect(Object.keys((limits?.schema.properties as object) ?? {}).sort()).toEqual(
      Object.keys(LimitChangeSchema.shape).sort(),
    );
    expect(batch?.schema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(approve?.requestBody?.content['application/json']?.schema).toMatchObject({
      required: ['reason'],
      additionalProperties: false,
    });
    expect(Object.keys(approve?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '401', '403', '409']),
    );
  });

  it('declares for every operation its path ids with their patterns, a success and the staff error codes', async () => {
    const documented = operations(await served());
    const gaps: string[] = [];

    for (const [key, op] of documented) {
      const params = (op.parameters ?? []) as { name: string; in: string; schema?: { pattern?: string } }[];
      for (const name of [...key.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
        const param = params.find((p) => p.in === 'path' && p.name === name);
        if (!param?.schema?.pattern) gaps.push(`${key}: path id ${name} without a pattern`);
      }
      if (!Object.keys(op.responses).some((status) => status.startsWith('2')))
        gaps.push(`${key}: no success`);
      if (op['x-roles'] && !('401' in op.responses && '403' in op.responses)) gaps.push(`${key}: no 401/403`);
    }

    expect(gaps).toEqual([]);
  });

  it('closes every staff request body to unknown fields, at every depth', async () => {
    const documented = operations(await served());
    const campaign = documented.get('POST /api/v1/campaigns')?.requestBody?.content['application/json']
      ?.schema as {
      additionalProperties?: boolean;
      properties: { areas: { items: { additionalProperties?: boolean; properties: object } } };
    };

    expect(campaign.additionalProperties).toBe(false);
    expect(campaign.properties.areas.items.additionalProperties).toBe(false);
    expect(Object.keys(campaign.properties.areas.items.properties)).toEqual(['district', 'tehsils']);
  });
});

describe('GET /docs', () => {
  it('renders every operation of the document on one self-contained page (no script, nothing fetched)', async () => {
    const unused = new Proxy({}, { get: () => undefined }) as ApiDeps;
    const app = createApp(unused);
    const keys = [...operations(await served()).keys()];

    const response = await app.request('/docs');
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const missing = keys.filter((key) => !html.includes(`data-operation="${key}"`));
    expect(missing).toEqual([]);
    expect(html).not.toMatch(/<script|<link|src="http|href="http/i);
    expect(html).toContain('Unknown fields are refused (400).');
    expect(html).toContain('<code>areas[].tehsils</code>');
  });
});
