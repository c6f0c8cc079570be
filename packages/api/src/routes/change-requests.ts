import {
  approveChangeRequest,
  type ChangeRequestDeps,
  ChangeRequestInputSchema,
  ChangeSchema,
  fileChangeRequest,
  hashCnic,
  normalizeCnic,
  normalizePhone,
  proposeChangeRequest,
  rejectChangeRequest,
  type StaffActor,
  type StaffRole,
  submitChangeRequest,
  ValidationError,
} from '@madad/core';
import type { Context } from 'hono';
import * as z from 'zod';
import { rolesOf } from '../access-policy.js';
import type { ApiDeps, AppEnv } from '../deps.js';
import { ApiRoutes } from '../openapi-route.js';
import { limitAttempt, limitByIp } from '../rate-limit/public-limits.js';

export const DecisionSchema = z
  .object({ reason: z.string().trim().min(3, 'Write the reason').max(1000) })
  .strict();
export const ProposalSchema = z.object({ reason: z.string().trim().max(1000).optional() }).strict();
export const StaffChangeSchema = z
  .object({ change: ChangeSchema, note: z.string().max(500).optional() })
  .strict();
const STATUSES = ['SUBMITTED', 'PROPOSED', 'APPLYING', 'APPROVED', 'REJECTED'] as const;
const OFFICER: readonly StaffRole[] = rolesOf('households.work');
const json = (description: string) => ({ type: 'application/json', description });
const CHANGE = json('The change request with its status, proposer and checker');
/** The one answer to a household's change request, whether or not its phone is on the household. */
export const CHANGE_REQUEST_RECEIVED = {
  status: 'RECEIVED',
  message:
    'Received. If this mobile number is registered for this CNIC, staff will review the change; ' +
    'otherwise visit your tehsil registration desk.',
} as const;

/** Who acts, and under which allowed role (admin when that is what let them in). */
function actorOf(c: Context<AppEnv>): StaffActor {
  const { user, roles } = c.get('principal');
  return { user, role: roles.find((r) => OFFICER.includes(r)) ?? 'admin' };
}

/**
 * Change requests under maker-checker: a household submits one (public, by CNIC and a phone of the
 * household), a staff member proposes it (or files one directly), another staff member approves it.
 */
export function changeRequestRoutes(deps: ApiDeps): ApiRoutes {
  // Built per request: building the app only wires routes (tests fake only the ports they call).
  const flowDeps = (): ChangeRequestDeps => ({
    ...deps.changeRequests,
    audit: deps.audit,
    pepper: deps.cnicPepper,
    clock: deps.clock,
  });
  const decision = (action: 'approve' | 'reject', summary: string) =>
    ({
      method: 'POST',
      path: `/api/v1/change-requests/:householdId/:requestId/${action}`,
      summary,
      access: 'households.work',
      params: { householdId: 'household', requestId: 'changeRequest' },
      body: DecisionSchema,
      ok: { status: 200, description: 'The change request', body: CHANGE },
      errors: [400, 404, 409],
    }) as const;
  return new ApiRoutes(deps)
    .declare(
      {
        method: 'POST',
        path: '/api/v1/change-requests',
        summary: "A household asks for a change (by CNIC and one of the household's phones)",
        access: 'public',
        use: [limitByIp(deps)],
        body: ChangeRequestInputSchema,
        ok: {
          status: 202,
          description: 'Received (the same answer whether or not the phone is on the household)',
          body: json('{ status: "RECEIVED", message }'),
        },
        errors: [400, 429],
      },
      async (c, input) => {
        const cnic = normalizeCnic(input.cnic);
        const phone = normalizePhone(input.phone);
        if (!cnic.ok || !phone.ok) throw new ValidationError('Give a valid CNIC and mobile number');
        await limitAttempt(deps, c, 'lookup', phone.phone);
        const householdId = await deps.households.householdIdOf(hashCnic(await deps.cnicPepper(), cnic.cnic));
        const household = householdId ? await deps.households.get(householdId) : undefined;
        // Only a phone already on the household may ask, and only then is anything stored; the answer is
        // the same either way, so it tells no one whether a phone belongs to a CNIC's household.
        if (householdId && household && (household.phones as string[]).includes(phone.phone)) {
          await submitChangeRequest(flowDeps(), {
            householdId,
            phone: phone.phone,
            change: input.change,
            ...(input.note ? { note: input.note } : {}),
          });
        }
        return c.json(CHANGE_REQUEST_RECEIVED, 202);
      },
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/households/:id/change-requests',
        summary: 'File a change request as its proposer (maker)',
        access: 'households.work',
        params: { id: 'household' },
        body: StaffChangeSchema,
        ok: { status: 201, description: 'Proposed', body: CHANGE },
        errors: [400, 404],
      },
      async (c, body, p) => {
        const request = await fileChangeRequest(flowDeps(), actorOf(c), {
          householdId: p.id,
          change: body.change,
          ...(body.note ? { note: body.note } : {}),
        });
        return c.json(request, 201);
      },
    )
    .declare(
      {
        method: 'GET',
        path: '/api/v1/change-requests',
        summary: 'List change requests by status',
        access: 'households.work',
        query: { status: { description: 'SUBMITTED (default), PROPOSED, APPLYING, APPROVED or REJECTED' } },
        ok: { status: 200, description: 'Change requests', body: json('{ items: ChangeRequest[] }') },
      },
      async (c) => {
        const status = z.enum(STATUSES).catch('SUBMITTED').parse(c.req.query('status'));
        return c.json({ items: await deps.changeRequests.changeRequests.list(status, 100) });
      },
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/change-requests/:householdId/:requestId/propose',
        summary: "Propose a household's change request for another officer to approve (maker)",
        access: 'households.work',
        params: { householdId: 'household', requestId: 'changeRequest' },
        body: ProposalSchema,
        ok: { status: 200, description: 'The change request', body: CHANGE },
        errors: [400, 404, 409],
      },
      async (c, _body, p) => c.json(await proposeChangeRequest(flowDeps(), actorOf(c), p)),
    )
    .declare(
      decision('approve', 'Approve a change request (checker: never its own proposer); it is applied'),
      async (c, { reason }, p) =>
        c.json(await approveChangeRequest(flowDeps(), actorOf(c), { ...p, reason })),
    )
    .declare(decision('reject', 'Reject a change request, with the reason'), async (c, { reason }, p) =>
      c.json(await rejectChangeRequest(flowDeps(), actorOf(c), { ...p, reason })),
    );
}
