import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { ApiDeps, AppEnv } from './deps.js';
import { mapError } from './errors.js';
import { smsInboundRoutes } from './routes/sms-inbound.js';

/** What the SMS webhook needs: its signing key, the registrations queue and a clock. Nothing else. */
export type SmsWebhookDeps = Pick<ApiDeps, 'webhookSecret' | 'enqueueRegistration' | 'clock'>;

/**
 * `POST /sms/inbound` alone, for the function every inbound SMS invokes (functions/sms-webhook). It is
 * built from the same route as the full app, with the same error map, but its dependencies cannot
 * reach a table, the CNIC pepper or the staff token key: least privilege in the types as in IAM.
 */
export function createSmsWebhookApp(deps: SmsWebhookDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('requestId', c.req.header('x-request-id') ?? randomUUID());
    await next();
    c.header('x-request-id', c.get('requestId'));
  });
  app.onError(mapError);
  app.notFound((c) =>
    c.json({ error: { code: 'NOT_FOUND', message: 'No such route' }, requestId: c.get('requestId') }, 404),
  );
  app.route('/', smsInboundRoutes(deps).app);
  return app;
}
