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
import type { Context } from 'hono';
import * as z from 'zod';
import type { ApiDeps, AppEnv } from '../deps.js';
import { ApiRoutes } from '../openapi-route.js';
import { ID_PATTERNS } from '../path-ids.js';

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
export const APPEAL_ID = ID_PATTERNS.appeal;

const APPEAL = { type: 'application/json', description: 'Appeal' } as const;
const by = (c: Context<AppEnv>, p: { readonly id: string }) => ({
  appealId: p.id,
  by: c.get('principal').user,
  role: 'program-officer',
});

/** Grievances: staff review the open cases and uphold or overturn them with a written reason. */
export function appealRoutes(deps: ApiDeps): ApiRoutes {
  return new ApiRoutes(deps)
    .declare(
      {
        method: 'GET',
        path: '/api/v1/appeals',
        summary: 'List appeals by status',
        access: 'appeals.read',
        query: { status: { description: 'Default OPEN', schema: StatusSchema } },
        ok: {
          status: 200,
          description: 'Appeals',
          body: { type: 'application/json', description: '{ items: Appeal[] }' },
        },
        errors: [400],
      },
      async (c) => {
        const status = StatusSchema.safeParse(c.req.query('status') || undefined);
        if (!status.success)
          throw new ValidationError('status must be OPEN, PROPOSED, RESOLVING, UPHELD or OVERTURNED');
        return c.json({ items: await deps.appeals.list(status.data, 100) });
      },
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/appeals/:id/resolve',
        summary:
          'Uphold or overturn an appeal (two officers at once: one 200, one 409); an overturn at or above MADAD_APPEAL_SECOND_OFFICER_PKR is proposed (202) for a second officer',
        access: 'appeals.work',
        params: { id: 'appeal' },
        body: ResolveSchema,
        ok: { status: 200, description: 'The appeal, UPHELD or OVERTURNED', body: APPEAL },
        alsoOk: [{ status: 202, description: 'The appeal, PROPOSED: waiting for a second officer' }],
        errors: [400, 404, 409],
      },
      async (c, body, p) => {
        // Claimed first (OPEN -> RESOLVING): of two officers resolving at once, the second gets a 409.
        // An overturn at or above the second-officer amount is proposed (202) for another officer.
        const decided = await decideAppeal(deps, deps.appealPolicy ?? DEFAULT_APPEAL_POLICY, {
          ...by(c, p),
          ...body,
        });
        return decided.kind === 'proposed' ? c.json(decided.appeal, 202) : c.json(decided.appeal);
      },
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/appeals/:id/confirm',
        summary:
          'Confirm a proposed overturn: another officer than its proposer (stable user id); enrolls and tells the household',
        access: 'appeals.work',
        params: { id: 'appeal' },
        ok: { status: 200, description: 'The appeal, OVERTURNED', body: APPEAL },
        errors: [400, 404, 409],
      },
      async (c, _body, p) => c.json(await confirmAppealOverturn(deps, by(c, p))),
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/appeals/:id/decline',
        summary: 'Decline a proposed overturn (not its proposer): the appeal is OPEN again',
        access: 'appeals.work',
        params: { id: 'appeal' },
        body: DeclineSchema,
        ok: { status: 200, description: 'The appeal, OPEN', body: APPEAL },
        errors: [400, 404, 409],
      },
      async (c, { reason }, p) => c.json(await declineAppealOverturn(deps, { ...by(c, p), reason })),
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/appeals/:id/assign',
        summary: 'Assign an appeal to an officer (audited)',
        access: 'appeals.work',
        params: { id: 'appeal' },
        body: AssignSchema,
        ok: { status: 200, description: 'The appeal', body: APPEAL },
        errors: [400, 404, 409],
      },
      async (c, { to }, p) => c.json(await assignAppeal(deps, { ...by(c, p), to })),
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/appeals/:id/notes',
        summary: 'Append a note to an appeal (append-only, audited; the same noteId twice adds it once)',
        access: 'appeals.work',
        params: { id: 'appeal' },
        body: NoteSchema,
        ok: { status: 201, description: 'The appeal with its notes', body: APPEAL },
        errors: [400, 404],
      },
      async (c, { text, noteId }, p) =>
        c.json(await addAppealNote(deps, { ...by(c, p), text, noteId: noteId ?? randomUUID() }), 201),
    );
}
