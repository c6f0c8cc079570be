import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import * as z from 'zod';
import type { ApiDeps, AppEnv } from './deps.js';
import { mapError } from './errors.js';
import { readableForms } from './form-body.js';
import { buildOpenApi } from './openapi.js';
import { renderApiDocs } from './openapi-docs.js';
import { ApiRoutes, type RouteDeclaration } from './openapi-route.js';
import { activationProgressRoutes } from './routes/activation-progress.js';
import { appealRoutes } from './routes/appeals.js';
import { auditRoutes } from './routes/audit.js';
import { campaignPreviewRoutes } from './routes/campaign-preview.js';
import { campaignRoutes } from './routes/campaigns.js';
import { changeRequestRoutes } from './routes/change-requests.js';
import { householdDeskRoutes } from './routes/household-desk.js';
import { householdRoutes } from './routes/households.js';
import { importRoutes } from './routes/imports.js';
import { paymentBatchJobRoutes } from './routes/payment-batch-jobs.js';
import { paymentFileRoutes } from './routes/payment-files.js';
import { paymentRoutes } from './routes/payments.js';
import { publicRegistrationRoutes } from './routes/public-registrations.js';
import { qualityRoutes } from './routes/quality.js';
import { rectificationRoutes } from './routes/rectification.js';
import { smsInboundRoutes } from './routes/sms-inbound.js';
import { staffSmsRoutes } from './routes/staff-sms.js';
import { webRoutes } from './web/index.js';

/** The whole HTTP surface as one hono app: the Lambda handler and the local server both serve it. */
export function createApp(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('requestId', c.req.header('x-request-id') ?? randomUUID());
    await next();
    c.header('x-request-id', c.get('requestId'));
  });
  app.use('*', secureHeaders());
  app.use(
    '*',
    bodyLimit({
      maxSize: 256 * 1024,
      onError: (c) =>
        c.json(
          {
            error: { code: 'PAYLOAD_TOO_LARGE', message: 'Body over 256 KiB' },
            requestId: c.get('requestId'),
          },
          413,
        ),
    }),
  );
  app.use('*', readableForms);
  app.onError(mapError);
  app.notFound((c) =>
    c.json({ error: { code: 'NOT_FOUND', message: 'No such route' }, requestId: c.get('requestId') }, 404),
  );

  // Every route group of the JSON API; the document is generated from their declarations.
  const groups: ApiRoutes[] = [
    contractRoutes(deps, () => declarations),
    smsInboundRoutes(deps),
    staffSmsRoutes(deps),
    campaignRoutes(deps),
    campaignPreviewRoutes(deps),
    appealRoutes(deps),
    publicRegistrationRoutes(deps),
    // Before householdRoutes: its `/api/v1/households/:id` would take `/api/v1/households/search`.
    householdDeskRoutes(deps),
    householdRoutes(deps),
    changeRequestRoutes(deps),
    rectificationRoutes(deps),
    qualityRoutes(deps),
    importRoutes(deps),
    paymentRoutes(deps),
    paymentBatchJobRoutes(deps),
    paymentFileRoutes(deps),
    activationProgressRoutes(deps),
    auditRoutes(deps),
  ];
  const declarations = groups.flatMap((group) => group.declarations);
  for (const group of groups) app.route('/', group.app);
  app.route('/', webRoutes(deps));
  return app;
}

/** Health and the contract itself: the OpenAPI document and its readable page, built on first use. */
function contractRoutes(deps: ApiDeps, declarations: () => readonly RouteDeclaration[]): ApiRoutes {
  let document: Record<string, unknown> | undefined;
  const openapi = () => {
    document ??= buildOpenApi(declarations());
    return document;
  };
  return new ApiRoutes(deps)
    .declare(
      {
        method: 'GET',
        path: '/health',
        summary: 'Liveness',
        access: 'public',
        ok: { status: 200, description: 'OK', body: z.object({ status: z.literal('ok'), time: z.string() }) },
      },
      (c) => c.json({ status: 'ok', time: deps.clock.now().toISOString() }),
    )
    .declare(
      {
        method: 'GET',
        path: '/openapi.json',
        summary: 'This document (OpenAPI 3.1), generated from the route declarations',
        access: 'public',
        ok: {
          status: 200,
          description: 'OpenAPI 3.1',
          body: { type: 'application/json', description: 'OpenAPI document' },
        },
      },
      (c) => c.json(openapi()),
    )
    .declare(
      {
        method: 'GET',
        path: '/docs',
        summary: 'This document as a readable page (self-contained HTML, works offline)',
        access: 'public',
        ok: {
          status: 200,
          description: 'The page',
          body: { type: 'text/html', description: 'Every operation' },
        },
      },
      (c) => c.html(renderApiDocs(openapi())),
    );
}
