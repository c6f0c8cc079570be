import {
  approveChangeRequest,
  type ChangeRequestDeps,
  ChangeRequestInputSchema,
  ChangeSchema,
  fileChangeRequest,
  hashCnic,
  NotFoundError,
  normalizeCnic,
  normalizePhone,
  proposeChangeRequest,
  rejectChangeRequest,
  type StaffActor,
  type StaffRole,
  submitChangeRequest,
  ValidationError,
} from '@madad/core';
import { type Context, Hono } from 'hono';
import * as z from 'zod';
import { requireRoles } from '../auth.js';
import type { ApiDeps, AppEnv } from '../deps.js';
import { jsonBody } from '../json-body.js';
import { limitAttempt, limitByIp } from '../rate-limit/public-limits.js';

const HOUSEHOLD_ID = /^[A-Za-z0-9-]{1,40}$/;
const CHANGE_REQUEST_ID = /^CR-[0-9A-F]{8}$/;
export const DecisionSchema = z
  .object({ reason: z.string().trim().min(3, 'Write the reason').max(1000) })
  .strict();
export const ProposalSchema = z.object({ reason: z.string().trim().max(1000).optional() }).strict();
export const StaffChangeSchema = z
  .object({ change: ChangeSchema, note: z.string().max(500).optional() })
  .strict();
const STATUSES = ['SUBMITTED', 'PROPOSED', 'APPLYING', 'APPROVED', 'REJECTED'] as const;
const OFFICER: readonly StaffRole[] = ['program-officer'];
/** The one answer to a household's change request, whether or not its phone is on the household. */
export const CHANGE_REQUEST_RECEIVED = {
  status: 'RECEIVED',
  message:
    'Received. If this mobile number is registered for this CNIC, staff will review the change; ' +
    'otherwise visit your tehsil registration desk.',
} as const;

function parsed<T>(result: z.ZodSafeParseResult<T>, message: string): T {
  if (result.success) return result.data;
  throw new ValidationError(
    message,
    result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  );
}

/** Who acts, and under which allowed role (admin when that is what let them in). */
function actorOf(c: Context<AppEnv>): StaffActor {
  const { user, roles } = c.get('principal');
  return { user, role: roles.find((r) => OFFICER.includes(r)) ?? 'admin' };
}

/**
 * Change requests under maker-checker: a household submits one (public, by CNIC and a phone of the
 * household), a staff member proposes it (or files one directly), another staff member approves it.
 */
export function changeRequestRoutes(deps: ApiDeps): Hono<AppEnv> {
  const officers = requireRoles(deps, ...OFFICER);
  // Built per request: building the app only wires routes (tests fake only the ports they call).
  const flowDeps = (): ChangeRequestDeps => ({
    ...deps.changeRequests,
    audit: deps.audit,
    pepper: deps.cnicPepper,
    clock: deps.clock,
  });
  return new Hono<AppEnv>()
    .post('/api/v1/change-requests', limitByIp(deps), async (c) => {
      const input = parsed(ChangeRequestInputSchema.safeParse(await jsonBody(c)), 'Invalid change request');
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
    })
    .post('/api/v1/households/:id/change-requests', officers, async (c) => {
      const householdId = c.req.param('id');
      if (!HOUSEHOLD_ID.test(householdId)) throw new NotFoundError('No such household');
      const body = parsed(StaffChangeSchema.safeParse(await jsonBody(c)), 'Invalid change request');
      const request = await fileChangeRequest(flowDeps(), actorOf(c), {
        householdId,
        change: body.change,
        ...(body.note ? { note: body.note } : {}),
      });
      return c.json(request, 201);
    })
    .get('/api/v1/change-requests', officers, async (c) => {
      const status = z.enum(STATUSES).catch('SUBMITTED').parse(c.req.query('status'));
      return c.json({ items: await deps.changeRequests.changeRequests.list(status, 100) });
    })
    .post(
      '/api/v1/change-requests/:householdId/:requestId/:action{propose|approve|reject}',
      officers,
      async (c) => {
        const householdId = c.req.param('householdId');
        const requestId = c.req.param('requestId');
        // Malformed ids name no request, and must not reach a key (DynamoDB refuses long ones: a 500).
        if (!HOUSEHOLD_ID.test(householdId) || !CHANGE_REQUEST_ID.test(requestId)) {
          throw new NotFoundError('No such change request');
        }
        const ids = { householdId, requestId };
        const action = c.req.param('action');
        if (action === 'propose') {
          parsed(ProposalSchema.safeParse(await jsonBody(c)), 'Invalid proposal');
          return c.json(await proposeChangeRequest(flowDeps(), actorOf(c), ids));
        }
        const { reason } = parsed(
          DecisionSchema.safeParse(await jsonBody(c)),
          'Write the reason for the decision',
        );
        const decide = action === 'approve' ? approveChangeRequest : rejectChangeRequest;
        return c.json(await decide(flowDeps(), actorOf(c), { ...ids, reason }));
      },
    );
}
