import {
  NotFoundError,
  normalizeCnic,
  normalizePhone,
  prepareWebRegistration,
  REFERENCE_PATTERN,
  readReference,
  ValidationError,
  WebRegistrationSchema,
} from '@madad/core';
import { Hono } from 'hono';
import * as z from 'zod';
import type { ApiDeps, AppEnv } from '../deps.js';
import { jsonBody } from '../json-body.js';
import { limitAttempt, limitByIp } from '../rate-limit/public-limits.js';
import { statusByCnicAndPhone, statusByReference } from '../status-lookup.js';

const StatusQuerySchema = z.object({ cnic: z.string().min(1).max(40), phone: z.string().min(1).max(40) });

/**
 * Public registration and status, no login: the web form posts to the same queue as SMS, and a person
 * checks the outcome with the reference, or with CNIC and the phone they registered with.
 */
export function publicRegistrationRoutes(deps: ApiDeps): Hono<AppEnv> {
  // The same limiter as the HTML forms: per client address, then per phone once it is read.
  const byIp = limitByIp(deps);
  return new Hono<AppEnv>()
    .post('/api/v1/registrations', byIp, async (c) => {
      const parsed = WebRegistrationSchema.safeParse(await jsonBody(c));
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        throw new ValidationError('The registration is not valid', details);
      }
      const prepared = prepareWebRegistration(parsed.data, deps.clock.now());
      if (!prepared.ok) throw new ValidationError('The registration is not valid', prepared.errors);
      await limitAttempt(deps, c, 'phone', prepared.message.phone);
      await deps.enqueueRegistration(prepared.message);
      return c.json({ status: 'queued', reference: prepared.message.reference }, 202);
    })
    .get('/api/v1/registrations/:reference', byIp, async (c) => {
      // Every reference the system has sent: a web registration's, an SMS registration's, a top-up's.
      const reference = readReference(c.req.param('reference'));
      if (!REFERENCE_PATTERN.test(reference)) throw new NotFoundError('No registration with that reference');
      return c.json(await statusByReference(deps, reference));
    })
    .post('/api/v1/status', byIp, async (c) => {
      const query = StatusQuerySchema.safeParse(await jsonBody(c));
      const cnic = normalizeCnic(query.data?.cnic ?? '');
      const phone = normalizePhone(query.data?.phone ?? '');
      if (!query.success || !cnic.ok || !phone.ok)
        throw new ValidationError('Give a valid CNIC and mobile number');
      await limitAttempt(deps, c, 'lookup', phone.phone);
      const status = await statusByCnicAndPhone(deps, cnic.cnic, phone.phone);
      // The same answer whether the CNIC is unknown or the phone does not match: no enumeration.
      if (!status) throw new NotFoundError('No registration for that CNIC and phone');
      return c.json(status);
    });
}
