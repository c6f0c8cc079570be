import {
  countSegments,
  MessageIdSchema,
  NotFoundError,
  normalizePhone,
  OutboundSmsSchema,
  ValidationError,
} from '@madad/core';
import * as z from 'zod';
import type { ApiDeps } from '../deps.js';
import { ApiRoutes } from '../openapi-route.js';

export const OutboundListSchema = z.object({
  to: z.string(),
  count: z.number(),
  items: z.array(OutboundSmsSchema.extend({ encoding: z.string(), segments: z.number() })),
});

/** Staff views of messages: replies sent to a phone, and the registration recorded for a message id. */
export function staffSmsRoutes(deps: ApiDeps): ApiRoutes {
  return new ApiRoutes(deps)
    .declare(
      {
        method: 'GET',
        path: '/api/v1/sms/outbound',
        summary: 'Replies sent to a phone, newest first',
        access: 'messages.read',
        query: {
          to: { required: true, description: 'The phone' },
          limit: { description: '1 to 200, default 50' },
        },
        ok: { status: 200, description: 'Replies', body: OutboundListSchema },
        errors: [400],
      },
      async (c) => {
        const phone = normalizePhone(c.req.query('to') ?? '');
        if (!phone.ok)
          throw new ValidationError('Query parameter `to` must be a phone number', { error: phone.error });
        const limit = Math.min(Math.max(Number(c.req.query('limit') ?? 50) || 50, 1), 200);
        // What the phone was told: the replies recorded with its messages, newest first. (Notices staff
        // actions send, appeal outcomes and replay notices, are recorded with the appeal and decision.)
        const records = await deps.registrations.listByPhone(phone.phone, limit);
        const items = records.flatMap((r) => {
          if (!r.reply) return [];
          const { encoding, segments } = countSegments(r.reply.text);
          return [{ ...r.reply, encoding, segments }];
        });
        return c.json({ to: phone.phone, count: items.length, items });
      },
    )
    .declare(
      {
        method: 'GET',
        path: '/api/v1/registrations',
        summary: 'The registration and decision recorded for an inbound message',
        access: 'messages.read',
        query: {
          messageId: { required: true, description: 'The message id', schema: MessageIdSchema },
          from: { description: "The sender's phone (required for an SMS)" },
        },
        ok: {
          status: 200,
          description: 'Registration',
          body: { type: 'application/json', description: 'The registration and its decision' },
        },
        errors: [400, 404],
      },
      async (c) => {
        const messageId = MessageIdSchema.safeParse(c.req.query('messageId'));
        if (!messageId.success)
          throw new ValidationError('Query parameter `messageId` is required and must be an id');
        const from = normalizePhone(c.req.query('from') ?? '');
        if (!messageId.data.startsWith('web-') && !from.ok)
          throw new ValidationError("Query parameter `from` (the sender's phone) is required for an SMS");
        const item = await deps.registrations.get(messageId.data, from.ok ? from.phone : undefined);
        if (!item) throw new NotFoundError(`No registration for message ${messageId.data}`);
        const { pk: _pk, sk: _sk, gsi2pk: _g, gsi2sk: _s, ...registration } = item;
        return c.json(registration);
      },
    );
}
