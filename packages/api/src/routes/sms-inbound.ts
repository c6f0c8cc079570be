import {
  InboundSmsSchema,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
  verifyWebhookSignature,
} from '@madad/core';
import { Hono } from 'hono';
import type { AppEnv } from '../deps.js';
import type { SmsWebhookDeps } from '../sms-webhook-app.js';

const MAX_BODY_BYTES = 16 * 1024;

/**
 * The SMS aggregator's webhook: check the signature, then the shape, then queue. It never reads the
 * registry, so it stays fast and cheap under a surge; the queue absorbs the burst.
 */
export function smsInboundRoutes(deps: SmsWebhookDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().post('/sms/inbound', async (c) => {
    const contentType = c.req.header('content-type') ?? '';
    if (!contentType.toLowerCase().startsWith('application/json')) {
      throw new UnsupportedMediaTypeError('Send the message as application/json');
    }
    const rawBody = await c.req.text();
    if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES) throw new PayloadTooLargeError('Body over 16 KiB');
    const nowSeconds = Math.floor(deps.clock.now().getTime() / 1000);
    const check = verifyWebhookSignature({
      secret: await deps.webhookSecret(),
      header: c.req.header('x-madad-signature'),
      rawBody,
      nowSeconds,
    });
    if (!check.ok) throw new UnauthorizedError(`Bad signature (${check.reason})`);
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      throw new ValidationError('Body is not valid JSON');
    }
    const parsed = InboundSmsSchema.safeParse(json);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new ValidationError('Body does not match the inbound SMS schema', details);
    }
    await deps.enqueueRegistration({
      ...parsed.data,
      channel: 'sms',
      acceptedAt: deps.clock.now().toISOString(),
    });
    return c.json({ status: 'queued', messageId: parsed.data.messageId }, 200);
  });
}
