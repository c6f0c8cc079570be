import { countSegments, MessageIdSchema, NotFoundError, normalizePhone, ValidationError } from '@madad/core';
import { Hono } from 'hono';
import { requireRoles } from '../auth.js';
import type { ApiDeps, AppEnv } from '../deps.js';

/** Staff views of messages: replies sent to a phone, and the registration recorded for a message id. */
export function staffSmsRoutes(deps: ApiDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get(
      '/api/v1/sms/outbound',
      requireRoles(deps, 'program-officer', 'emergency-cell', 'auditor'),
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
    .get(
      '/api/v1/registrations',
      requireRoles(deps, 'program-officer', 'emergency-cell', 'auditor'),
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
