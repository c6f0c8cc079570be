import {
  InboundSmsSchema,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
  verifyWebhookSignatureWithRotation,
} from '@madad/core';
import * as z from 'zod';
import { parseBody } from '../json-body.js';
import { ApiRoutes } from '../openapi-route.js';
import type { SmsWebhookDeps } from '../sms-webhook-app.js';

const MAX_BODY_BYTES = 16 * 1024;
const QueuedSchema = z.object({ status: z.literal('queued'), messageId: z.string() });

/**
 * The SMS aggregator's webhook: check the signature, then the shape, then queue. It never reads the
 * registry, so it stays fast and cheap under a surge; the queue absorbs the burst. Tolerant of fields
 * it does not know (an aggregator adds its own): they are dropped, not refused.
 */
export function smsInboundRoutes(deps: SmsWebhookDeps): ApiRoutes {
  return new ApiRoutes().declare(
    {
      method: 'POST',
      path: '/sms/inbound',
      summary:
        'Inbound SMS from the aggregator; queued for reconciliation. Signed: X-Madad-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + rawBody)>, 5 minute tolerance; during a key rotation the previous secret is accepted until the window closes',
      access: 'webhook',
      otherBodies: [InboundSmsSchema],
      ok: { status: 200, description: 'Queued (a repeated messageId is harmless)', body: QueuedSchema },
      errors: [400, 413, 415],
    },
    async (c) => {
      const contentType = c.req.header('content-type') ?? '';
      if (!contentType.toLowerCase().startsWith('application/json')) {
        throw new UnsupportedMediaTypeError('Send the message as application/json');
      }
      const rawBody = await c.req.text();
      if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES) throw new PayloadTooLargeError('Body over 16 KiB');
      const keys = await deps.webhookSecret();
      const check = verifyWebhookSignatureWithRotation({
        keys,
        header: c.req.header('x-madad-signature'),
        rawBody,
        now: deps.clock.now(),
      });
      if (!check.ok) throw new UnauthorizedError(`Bad signature (${check.reason})`);
      let json: unknown;
      try {
        json = JSON.parse(rawBody);
      } catch {
        throw new ValidationError('Body is not valid JSON');
      }
      const message = parseBody(InboundSmsSchema, json, { strict: false });
      await deps.enqueueRegistration({
        ...message,
        channel: 'sms',
        acceptedAt: deps.clock.now().toISOString(),
      });
      return c.json({ status: 'queued', messageId: message.messageId }, 200);
    },
  );
}
