import {
  confirmVerification,
  declineVerification,
  NotFoundError,
  recordVerification,
  ValidationError,
  VERIFICATION_METHODS,
  VERIFICATION_OUTCOMES,
} from '@madad/core';
import { type Context, Hono } from 'hono';
import * as z from 'zod';
import { requireRoles } from '../auth.js';
import type { ApiDeps, AppEnv } from '../deps.js';
import {
  actingRole,
  findHouseholds,
  householdProfile,
  PROFILE_READERS,
  VERIFIERS,
  verificationDeps,
} from '../household-desk.js';
import { jsonBody } from '../json-body.js';

const HOUSEHOLD_ID = /^[A-Za-z0-9-]{1,40}$/;

export const SearchQuerySchema = z.string().trim().min(1).max(60);
export const VerificationRequestSchema = z.strictObject({
  province: z.string().trim().min(1).max(60),
  district: z.string().trim().min(1).max(60),
  tehsil: z.string().trim().min(1).max(60),
  method: z.enum(VERIFICATION_METHODS),
  note: z.string().trim().min(5, 'Write what was checked (at least 5 characters)').max(1000),
  outcome: z.enum(VERIFICATION_OUTCOMES),
  reason: z.string().trim().max(1000).optional(),
  reasonCode: z.string().max(60).optional(),
});
export const ConfirmVerificationSchema = z.strictObject({});
export const DeclineVerificationSchema = z.strictObject({
  reason: z.string().trim().min(5, 'Write the reason (at least 5 characters)').max(1000),
});

function householdIdOf(c: Context<AppEnv>): string {
  const id = c.req.param('id') ?? '';
  if (!HOUSEHOLD_ID.test(id)) throw new NotFoundError('No such household');
  return id;
}

function parsed<T>(result: z.ZodSafeParseResult<T>, message: string): T {
  if (result.success) return result.data;
  throw new ValidationError(
    message,
    result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  );
}

/**
 * Finding a household (by CNIC, phone, reference or id: every search in the ledger), its profile,
 * and the verification of provisional households (maker-checker where an entitlement is created).
 * Mounted before `households.ts`, whose `/api/v1/households/:id` would otherwise take `search`.
 */
export function householdDeskRoutes(deps: ApiDeps): Hono<AppEnv> {
  const readers = requireRoles(deps, ...PROFILE_READERS);
  const verifiers = requireRoles(deps, ...VERIFIERS);
  const actor = (c: Context<AppEnv>, allowed: typeof PROFILE_READERS) => {
    const { user, roles } = c.get('principal');
    return { user, roles, role: actingRole(roles, allowed) };
  };
  return new Hono<AppEnv>()
    .get('/api/v1/households/search', readers, async (c) => {
      const q = parsed(
        SearchQuerySchema.safeParse(c.req.query('q') ?? ''),
        'Give q: a CNIC, phone or reference',
      );
      const { query, householdIds } = await findHouseholds(deps, actor(c, PROFILE_READERS), q);
      return c.json({ kind: query.kind, householdIds });
    })
    .get('/api/v1/households/:id/profile', readers, async (c) => {
      const id = householdIdOf(c);
      const profile = await householdProfile(deps, actor(c, PROFILE_READERS), id, c.req.query('raw') === '1');
      if (!profile) throw new NotFoundError('No such household');
      return c.json(profile);
    })
    .post('/api/v1/households/:id/verification', verifiers, async (c) => {
      const householdId = householdIdOf(c);
      const body = parsed(VerificationRequestSchema.safeParse(await jsonBody(c)), 'Invalid verification');
      const verification = await recordVerification(verificationDeps(deps), actor(c, VERIFIERS), {
        householdId,
        ...body,
      });
      // An eligible finding waits for a second officer: accepted, not yet decided.
      return c.json(verification, verification.status === 'PROPOSED' ? 202 : 200);
    })
    .post('/api/v1/households/:id/verification/confirm', verifiers, async (c) => {
      const householdId = householdIdOf(c);
      parsed(ConfirmVerificationSchema.safeParse(await jsonBody(c)), 'Nothing is sent with a confirmation');
      return c.json(await confirmVerification(verificationDeps(deps), actor(c, VERIFIERS), householdId));
    })
    .post('/api/v1/households/:id/verification/decline', verifiers, async (c) => {
      const householdId = householdIdOf(c);
      const { reason } = parsed(DeclineVerificationSchema.safeParse(await jsonBody(c)), 'Write the reason');
      await declineVerification(verificationDeps(deps), actor(c, VERIFIERS), { householdId, reason });
      return c.json({ householdId, verification: 'DECLINED' });
    });
}
