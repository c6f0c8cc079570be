import { randomUUID } from 'node:crypto';
import {
  hashCnic,
  NotFoundError,
  normalizeCnic,
  RAW_CNIC_ROLES,
  type StaffRole,
  ValidationError,
} from '@madad/core';
import { type Context, Hono } from 'hono';
import * as z from 'zod';
import { requireRoles } from '../auth.js';
import type { ApiDeps, AppEnv } from '../deps.js';
import { jsonBody } from '../json-body.js';

const HOUSEHOLD_ID = /^[A-Za-z0-9-]{1,40}$/;

const rawCnicRole = (roles: readonly StaffRole[]) =>
  roles.find((r) => (RAW_CNIC_ROLES as readonly string[]).includes(r));

/**
 * Raw CNICs only for roles that need them (payments); everyone else sees masked ones. A read that
 * shows raw CNICs is a staff action: it is in the ledger before the answer leaves.
 */
async function present(deps: ApiDeps, c: Context<AppEnv>, household: Record<string, unknown>) {
  const { user, roles } = c.get('principal');
  const role = rawCnicRole(roles);
  const { appliedChanges: _applied, ...shown } = household;
  const raw = role !== undefined;
  if (raw) {
    const householdId = String(household.householdId);
    await deps.audit.append({
      actor: user,
      role,
      action: 'household.read-raw',
      subject: `household/${householdId}`,
      after: { members: (household.members as unknown[]).length },
      // Each read is its own action (a client's x-request-id must not merge two reads into one entry).
      actionId: `household.read-raw/${householdId}/${randomUUID()}`,
    });
  }
  const members = (household.members as Record<string, unknown>[]).map(({ cnic, cnicMasked, ...m }) => ({
    ...m,
    cnic: raw ? cnic : cnicMasked,
  }));
  return { ...shown, members };
}

/** Staff views of households (change requests: `change-requests.ts`). */
export function householdRoutes(deps: ApiDeps): Hono<AppEnv> {
  const readers = requireRoles(deps, 'program-officer', 'emergency-cell', 'approver', 'auditor');
  const officers = requireRoles(deps, 'program-officer');
  return new Hono<AppEnv>()
    .get('/api/v1/households/:id', readers, async (c) => {
      const id = c.req.param('id');
      if (!HOUSEHOLD_ID.test(id)) throw new NotFoundError('No such household');
      const household = await deps.households.get(id);
      if (!household) throw new NotFoundError('No such household');
      return c.json(await present(deps, c, household));
    })
    .post('/api/v1/households/lookup', readers, async (c) => {
      const body = z.object({ cnic: z.string().max(40) }).safeParse(await jsonBody(c));
      const cnic = normalizeCnic(body.data?.cnic ?? '');
      if (!cnic.ok) throw new ValidationError('Give a valid CNIC');
      const id = await deps.households.householdIdOf(hashCnic(await deps.cnicPepper(), cnic.cnic));
      const household = id ? await deps.households.get(id) : undefined;
      if (!household) throw new NotFoundError('That CNIC is not in the registry');
      return c.json(await present(deps, c, household));
    })
    .get('/api/v1/households', officers, async (c) => {
      if (c.req.query('status') !== 'provisional')
        throw new ValidationError('Only status=provisional can be listed');
      // Masked: a queue is not a raw-CNIC read (open the household for that, which the ledger records).
      const items = (await deps.households.listProvisional(100)).map((household) => ({
        ...household,
        members: ((household.members ?? []) as Record<string, unknown>[]).map(
          ({ cnic: _raw, cnicMasked, ...m }) => ({
            ...m,
            cnic: cnicMasked,
          }),
        ),
      }));
      return c.json({ items });
    });
}
