import { randomUUID } from 'node:crypto';
import {
  hashCnic,
  NotFoundError,
  normalizeCnic,
  RAW_CNIC_ROLES,
  type StaffRole,
  ValidationError,
} from '@madad/core';
import type { Context } from 'hono';
import * as z from 'zod';
import type { ApiDeps, AppEnv } from '../deps.js';
import { ApiRoutes } from '../openapi-route.js';

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

const HOUSEHOLD = {
  type: 'application/json',
  description: 'The household; raw CNICs for program-officer and admin (a ledger entry), masked otherwise',
} as const;
export const HouseholdLookupSchema = z.strictObject({ cnic: z.string().max(40) });

/** Staff views of households (change requests: `change-requests.ts`). */
export function householdRoutes(deps: ApiDeps): ApiRoutes {
  return new ApiRoutes(deps)
    .declare(
      {
        method: 'GET',
        path: '/api/v1/households/:id',
        summary: 'A household',
        access: 'households.read',
        params: { id: 'household' },
        ok: { status: 200, description: 'Household', body: HOUSEHOLD },
        errors: [404],
      },
      async (c, _body, p) => {
        const household = await deps.households.get(p.id);
        if (!household) throw new NotFoundError('No such household');
        return c.json(await present(deps, c, household));
      },
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/households/lookup',
        summary: 'Find a household by CNIC',
        access: 'households.read',
        body: HouseholdLookupSchema,
        ok: { status: 200, description: 'Household', body: HOUSEHOLD },
        errors: [400, 404],
      },
      async (c, body) => {
        const cnic = normalizeCnic(body.cnic);
        if (!cnic.ok) throw new ValidationError('Give a valid CNIC');
        const id = await deps.households.householdIdOf(hashCnic(await deps.cnicPepper(), cnic.cnic));
        const household = id ? await deps.households.get(id) : undefined;
        if (!household) throw new NotFoundError('That CNIC is not in the registry');
        return c.json(await present(deps, c, household));
      },
    )
    .declare(
      {
        method: 'GET',
        path: '/api/v1/households',
        summary: 'Provisional households waiting for verification (masked CNICs)',
        access: 'households.work',
        query: { status: { required: true, description: 'provisional' } },
        ok: {
          status: 200,
          description: 'Households',
          body: { type: 'application/json', description: '{ items: Household[] }' },
        },
        errors: [400],
      },
      async (c) => {
        if (c.req.query('status') !== 'provisional')
          throw new ValidationError('Only status=provisional can be listed');
        // Masked: a queue is not a raw-CNIC read (open the household for that, which the ledger records).
        const items = (await deps.households.listProvisional(100)).map((household) => ({
          ...household,
          members: ((household.members ?? []) as Record<string, unknown>[]).map(
            ({ cnic: _raw, cnicMasked, ...m }) => ({ ...m, cnic: cnicMasked }),
          ),
        }));
        return c.json({ items });
      },
    );
}
