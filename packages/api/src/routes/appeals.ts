import { randomUUID } from 'node:crypto';
import {
  addAppealNote,
  assignAppeal,
  confirmAppealOverturn,
  DEFAULT_APPEAL_POLICY,
  decideAppeal,
  declineAppealOverturn,
  ValidationError,
} from '@madad/core';
import { Hono } from 'hono';
import * as z from 'zod';
import { requireRoles } from '../auth.js';
import type { ApiDeps, AppEnv } from '../deps.js';
import { jsonBody } from '../json-body.js';

export const ResolveSchema = z.strictObject({
  outcome: z.enum(['UPHELD', 'OVERTURNED']),
  reason: z.string().trim().min(5, 'Write the reason (at least 5 characters)').max(1000),
});
export const StatusSchema = z.enum(['OPEN', 'PROPOSED', 'RESOLVING', 'UPHELD', 'OVERTURNED']).default('OPEN');
export const AssignSchema = z.strictObject({ to: z.string().trim().min(1).max(128) });
export const NoteSchema = z.strictObject({
  text: z.string().trim().min(2, 'Write the note (2 to 2000 characters)').max(2000),
  /** Names the note once: a retried request with the same id adds it once. */
  noteId: z
    .string()
    .regex(/^[A-Za-z0-9-]{8,64}$/)
    .optional(),
});
export const DeclineSchema = z.strictObject({
  reason: z.string().trim().min(5, 'Write the reason (at least 5 characters)').max(1000),
});
export const APPEAL_ID = /^A[0-9A-Z]{7}$/;

/** Grievances: staff review the open cases and uphold or overturn them with a written reason. */
export function appealRoutes(deps: ApiDeps): Hono<AppEnv> {
  const officers = requireRoles(deps, 'program-officer');
  return new Hono<AppEnv>()
    .get('/api/v1/appeals', requireRoles(deps, 'program-officer', 'auditor'), async (c) => {
      const status = StatusSchema.safeParse(c.req.query('status') || undefined);
      if (!status.success)
        throw new ValidationError('status must be OPEN, PROPOSED, RESOLVING, UPHELD or OVERTURNED');
      return c.json({ items: await deps.appeals.list(status.data, 100) });
    })
    .post('/api/v1/appeals/:id/resolve', officers, async (c) => {
      const appealId = appealIdOf(c.req.param('id'));
      const body = parse(ResolveSchema, await jsonBody(c), 'Invalid resolution');
      // Claimed first (OPEN -> RESOLVING): of two officers resolving at once, the second gets a 409.
      // An overturn at or above the second-officer amount is proposed (202) for another officer.
      const decided = await decideAppeal(deps, deps.appealPolicy ?? DEFAULT_APPEAL_POLICY, {
        appealId,
        ...body,
        by: c.get('principal').user,
        role: 'program-officer',
      });
      return decided.kind === 'proposed' ? c.json(decided.appeal, 202) : c.json(decided.appeal);
    })
    .post('/api/v1/appeals/:id/confirm', officers, async (c) =>
      c.json(
        await confirmAppealOverturn(deps, {
          appealId: appealIdOf(c.req.param('id')),
          by: c.get('principal').user,
          role: 'program-officer',
        }),
      ),
    )
    .post('/api/v1/appeals/:id/decline', officers, async (c) => {
      const appealId = appealIdOf(c.req.param('id'));
      const { reason } = parse(DeclineSchema, await jsonBody(c), 'Invalid decline');
      return c.json(
        await declineAppealOverturn(deps, {
          appealId,
          reason,
          by: c.get('principal').user,
          role: 'program-officer',
        }),
      );
    })
    .post('/api/v1/appeals/:id/assign', officers, async (c) => {
      const appealId = appealIdOf(c.req.param('id'));
      const { to } = parse(AssignSchema, await jsonBody(c), 'Invalid assignment');
      return c.json(
        await assignAppeal(deps, { appealId, to, by: c.get('principal').user, role: 'program-officer' }),
      );
    })
    .post('/api/v1/appeals/:id/notes', officers, async (c) => {
      const appealId = appealIdOf(c.req.param('id'));
      const { text, noteId } = parse(NoteSchema, await jsonBody(c), 'Invalid note');
      return c.json(
        await addAppealNote(deps, {
          appealId,
          text,
          noteId: noteId ?? randomUUID(),
          by: c.get('principal').user,
          role: 'program-officer',
        }),
        201,
      );
    });
}

function appealIdOf(raw: string): string {
  if (!APPEAL_ID.test(raw)) throw new ValidationError('Not an appeal reference');
  return raw;
}

function parse<T>(schema: z.ZodType<T>, body: unknown, message: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ValidationError(
      message,
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  return parsed.data;
}
