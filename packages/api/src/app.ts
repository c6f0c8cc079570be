import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { ApiDeps, AppEnv } from './deps.js';
import { mapError } from './errors.js';
import { readableForms } from './form-body.js';
import { buildOpenApi } from './openapi.js';
import { appealRoutes } from './routes/appeals.js';
import { auditRoutes } from './routes/audit.js';
import { campaignPreviewRoutes } from './routes/campaign-preview.js';
import { campaignRoutes } from './routes/campaigns.js';
import { changeRequestRoutes } from './routes/change-requests.js';
import { householdDeskRoutes } from './routes/household-desk.js';
import { householdRoutes } from './routes/households.js';
import { paymentRoutes } from './routes/payments.js';
import { publicRegistrationRoutes } from './routes/public-registrations.js';
import { smsInboundRoutes } from './routes/sms-inbound.js';
import { staffSmsRoutes } from './routes/staff-sms.js';
import { webRoutes } from './web/index.js';

/** The whole HTTP surface as one hono app: the Lambda handler and the local server both serve it. */
export function createApp(deps: ApiDeps): Hono<AppEnv> {
  const openapi = buildOpenApi();
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

  app.get('/health', (c) => c.json({ status: 'ok', time: deps.clock.now().toISOString() }));
  app.get('/openapi.json', (c) => c.json(openapi));
  app.route('/', smsInboundRoutes(deps));
  app.route('/', staffSmsRoutes(deps));
  app.route('/', campaignRoutes(deps));
  app.route('/', campaignPreviewRoutes(deps));
  app.route('/', appealRoutes(deps));
  app.route('/', publicRegistrationRoutes(deps));
  // Before householdRoutes: its `/api/v1/households/:id` would take `/api/v1/households/search`.
  app.route('/', householdDeskRoutes(deps));
  app.route('/', householdRoutes(deps));
  app.route('/', changeRequestRoutes(deps));
  app.route('/', paymentRoutes(deps));
  app.route('/', auditRoutes(deps));
  app.route('/', webRoutes(deps));
  return app;
}
