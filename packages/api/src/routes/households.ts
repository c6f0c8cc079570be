import { randomUUID } from 'node:crypto';
import {
  ChangeRequestInputSchema,
  ForbiddenError,
  hashCnic,
  NotFoundError,
  normalizeCnic,
  normalizePhone,
  RAW_CNIC_ROLES,
  type StaffRole,
  ValidationError,
} from '@madad/core';
import { Hono } from 'hono';
import * as z from 'zod';
import { requireRoles } from '../auth.js';
import type { ApiDeps, AppEnv } from '../deps.js';
import { jsonBody } from '../json-body.js';

const HOUSEHOLD_ID = /^[A-Za-z0-9-]{1,40}$/;
const CHANGE_REQUEST_ID = /^CR-[0-9A-F]{8}$/;
const DecisionSchema = z.object({ reason: z.string().trim().min(3, 'Write the reason').max(1000) });

/** Raw CNICs only for roles that need them (payments); everyone else sees masked ones. */
function present(household: Record<string, unknown>, roles: readonly StaffRole[]) {
  const raw = roles.some((r) => (RAW_CNIC_ROLES as readonly string[]).includes(r));
  const members = (household.members as Record<string, unknown>[]).map(({ cnic, cnicMasked, ...m }) => ({
    ...m,
    cnic: raw ? cnic : cnicMasked,
  }));
  return { ...household, members };
}

/** Staff views of households, and change requests (dynamic inclusion) that staff approve. */
export function householdRoutes(deps: ApiDeps): Hono<AppEnv> {
  const readers = requireRoles(deps, 'program-officer', 'emergency-cell', 'approver', 'auditor');
  const officers = requireRoles(deps, 'program-officer');
  return new Hono<AppEnv>()
    .get('/api/v1/households/:id', readers, async (c) => {
      const id = c.req.param('id');
      if (!HOUSEHOLD_ID.test(id)) throw new NotFoundError('No such household');
      const household = await deps.households.get(id);
      if (!household) throw new NotFoundError('No such household');
      return c.json(present(household, c.get('principal').roles));
    })
    .post('/api/v1/households/lookup', readers, async (c) => {
      const body = z.object({ cnic: z.string().max(40) }).safeParse(await jsonBody(c));
      const cnic = normalizeCnic(body.data?.cnic ?? '');
      if (!cnic.ok) throw new ValidationError('Give a valid CNIC');
      const id = await deps.households.householdIdOf(hashCnic(await deps.cnicPepper(), cnic.cnic));
      const household = id ? await deps.households.get(id) : undefined;
      if (!household) throw new NotFoundError('That CNIC is not in the registry');
      return c.json(present(household, c.get('principal').roles));
    })
    .get('/api/v1/households', officers, async (c) => {
      if (c.req.query('status') !== 'provisional')
        throw new ValidationError('Only status=provisional can be listed');
      return c.json({ items: await deps.households.listProvisional(100) });
    })
    .post('/api/v1/change-requests', async (c) => {
      const parsed = ChangeRequestInputSchema.safeParse(await jsonBody(c));
      if (!parsed.success) {
        throw new ValidationError(
          'Invalid change request',
          parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        );
      }
      const cnic = normalizeCnic(parsed.data.cnic);
      const phone = normalizePhone(parsed.data.phone);
      if (!cnic.ok || !phone.ok) throw new ValidationError('Give a valid CNIC and mobile number');
      const householdId = await deps.households.householdIdOf(hashCnic(await deps.cnicPepper(), cnic.cnic));
      const household = householdId ? await deps.households.get(householdId) : undefined;
      // Only a phone already on the household may ask; the answer does not say which check failed.
      if (!householdId || !household || !(household.phones as string[]).includes(phone.phone)) {
        throw new ForbiddenError(
          'This CNIC and phone cannot request changes; visit your tehsil registration desk',
        );
      }
      const request = {
        requestId: `CR-${randomUUID().slice(0, 8).toUpperCase()}`,
        householdId,
        change: parsed.data.change,
        ...(parsed.data.note ? { note: parsed.data.note } : {}),
        status: 'PENDING' as const,
        requestedAt: deps.clock.now().toISOString(),
        requestedBy: phone.phone,
      };
      await deps.households.requestChange(request);
      return c.json({ requestId: request.requestId, status: request.status }, 202);
    })
    .get('/api/v1/change-requests', officers, async (c) => {
      const status = z
        .enum(['PENDING', 'APPROVED', 'REJECTED'])
        .catch('PENDING')
        .parse(c.req.query('status'));
      return c.json({ items: await deps.households.listChanges(status, 100) });
    })
    .post('/api/v1/change-requests/:householdId/:requestId/:action{approve|reject}', officers, async (c) => {
      const householdId = c.req.param('householdId');
      const requestId = c.req.param('requestId');
      // Malformed ids name no request, and must not reach a key (DynamoDB refuses long ones: a 500).
      if (!HOUSEHOLD_ID.test(householdId) || !CHANGE_REQUEST_ID.test(requestId)) {
        throw new NotFoundError('No such change request');
      }
      const body = DecisionSchema.safeParse(await jsonBody(c));
      if (!body.success) throw new ValidationError('Write the reason for the decision');
      const result = await deps.households.decideChange(householdId, requestId, {
        approve: c.req.param('action') === 'approve',
        by: c.get('principal').user,
        at: deps.clock.now().toISOString(),
        reason: body.data.reason,
      });
      return c.json(result);
    });
}
