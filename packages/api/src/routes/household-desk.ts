import {
  confirmVerification,
  declineVerification,
  NotFoundError,
  recordVerification,
  type StaffRole,
  ValidationError,
  VERIFICATION_METHODS,
  VERIFICATION_OUTCOMES,
} from '@madad/core';
import type { Context } from 'hono';
import * as z from 'zod';
import type { ApiDeps, AppEnv } from '../deps.js';
import {
  actingRole,
  findHouseholds,
  householdProfile,
  PROFILE_READERS,
  VERIFIERS,
  verificationDeps,
} from '../household-desk.js';
import { ApiRoutes } from '../openapi-route.js';

const json = (description: string) => ({ type: 'application/json', description });

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

/**
 * Finding a household (by CNIC, phone, reference or id: every search in the ledger), its profile,
 * and the verification of provisional households (maker-checker where an entitlement is created).
 * Mounted before `households.ts`, whose `/api/v1/households/:id` would otherwise take `search`.
 */
export function householdDeskRoutes(deps: ApiDeps): ApiRoutes {
  const actor = (c: Context<AppEnv>, allowed: readonly StaffRole[]) => {
    const { user, roles } = c.get('principal');
    return { user, roles, role: actingRole(roles, allowed) };
  };
  const VERIFICATION = json('HouseholdVerification');
  return new ApiRoutes(deps)
    .declare(
      {
        method: 'GET',
        path: '/api/v1/households/search',
        summary:
          'Find households by CNIC (any typed form), phone (any local or international form), reference or household id; every search is in the ledger',
        access: 'households.profile',
        query: {
          q: {
            required: true,
            description: 'A CNIC, mobile number, reference, appeal id or household id',
            schema: SearchQuerySchema,
          },
        },
        ok: {
          status: 200,
          description: 'Matches',
          body: json('{ kind: cnic|phone|reference|household, householdIds }'),
        },
        errors: [400],
      },
      async (c) => {
        const q = SearchQuerySchema.safeParse(c.req.query('q') ?? '');
        if (!q.success) throw new ValidationError('Give q: a CNIC, phone or reference');
        const { query, householdIds } = await findHouseholds(deps, actor(c, PROFILE_READERS), q.data);
        return c.json({ kind: query.kind, householdIds });
      },
    )
    .declare(
      {
        method: 'GET',
        path: '/api/v1/households/:id/profile',
        summary:
          'A household profile: members (CNICs masked 35202-*****67-1; raw=1 for program-officer and admin, in the ledger), identity and flags, decisions, messages, enrollments and payments, appeals, change requests, verification, ledger entries',
        access: 'households.profile',
        params: { id: 'household' },
        query: { raw: { description: '1: full CNICs (program-officer, admin; recorded in the ledger)' } },
        ok: { status: 200, description: 'The profile', body: json('HouseholdProfile') },
        errors: [404],
      },
      async (c, _body, p) => {
        const raw = c.req.query('raw') === '1';
        const profile = await householdProfile(deps, actor(c, PROFILE_READERS), p.id, raw);
        if (!profile) throw new NotFoundError('No such household');
        return c.json(profile);
      },
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/households/:id/verification',
        summary:
          'Verify a provisional household: area from the gazetteer, method, note, outcome (ELIGIBLE is proposed for a second officer; NOT_ELIGIBLE and REJECTED take effect and the household is told by SMS)',
        access: 'households.work',
        params: { id: 'household' },
        body: VerificationRequestSchema,
        ok: { status: 200, description: 'The verification, done', body: VERIFICATION },
        alsoOk: [{ status: 202, description: 'An eligible finding, proposed for a second officer' }],
        errors: [400, 404, 409],
      },
      async (c, body, p) => {
        const verification = await recordVerification(verificationDeps(deps), actor(c, VERIFIERS), {
          householdId: p.id,
          ...body,
        });
        // An eligible finding waits for a second officer: accepted, not yet decided.
        return c.json(verification, verification.status === 'PROPOSED' ? 202 : 200);
      },
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/households/:id/verification/confirm',
        summary:
          "Confirm another officer's eligible finding (never one's own): the household is enrolled within the caps and told by SMS",
        access: 'households.work',
        params: { id: 'household' },
        body: ConfirmVerificationSchema,
        ok: { status: 200, description: 'The verification, done', body: VERIFICATION },
        errors: [400, 404, 409],
      },
      async (c, _body, p) =>
        c.json(await confirmVerification(verificationDeps(deps), actor(c, VERIFIERS), p.id)),
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/households/:id/verification/decline',
        summary:
          'Decline (or, as its proposer, withdraw) an eligible finding waiting for a second officer, with a reason: the household is unverified again',
        access: 'households.work',
        params: { id: 'household' },
        body: DeclineVerificationSchema,
        ok: { status: 200, description: 'Declined', body: json('{ householdId, verification: "DECLINED" }') },
        errors: [400, 404, 409],
      },
      async (c, { reason }, p) => {
        await declineVerification(verificationDeps(deps), actor(c, VERIFIERS), { householdId: p.id, reason });
        return c.json({ householdId: p.id, verification: 'DECLINED' });
      },
    );
}
