import {
  areasInForce,
  NotFoundError,
  normalizeCnic,
  normalizePhone,
  prepareWebRegistration,
  REFERENCE_PATTERN,
  readReference,
  ValidationError,
  WebRegistrationSchema,
} from '@madad/core';
import * as z from 'zod';
import type { ApiDeps } from '../deps.js';
import { ApiRoutes } from '../openapi-route.js';
import { limitAttempt, limitByIp } from '../rate-limit/public-limits.js';
import { statusByCnicAndPhone, statusByReference } from '../status-lookup.js';

const json = (description: string) => ({ type: 'application/json', description });
export const StatusQuerySchema = z.object({
  cnic: z.string().min(1).max(40),
  phone: z.string().min(1).max(40),
});

/**
 * Public registration and status, no login: the web form posts to the same queue as SMS, and a person
 * checks the outcome with the reference, or with CNIC and the phone they registered with.
 */
export function publicRegistrationRoutes(deps: ApiDeps): ApiRoutes {
  // The same limiter as the HTML forms: per client address, then per phone once it is read.
  const byIp = limitByIp(deps);
  return new ApiRoutes(deps)
    .declare(
      {
        method: 'POST',
        path: '/api/v1/registrations',
        summary: 'Register on the web (queued like an SMS)',
        access: 'public',
        use: [byIp],
        body: WebRegistrationSchema,
        ok: { status: 202, description: 'Queued', body: json('{ status: "queued", reference }') },
        errors: [400, 429],
      },
      async (c, registration) => {
        const areas = await areasInForce(deps.gazetteer);
        const prepared = prepareWebRegistration(registration, deps.clock.now(), areas);
        if (!prepared.ok) throw new ValidationError('The registration is not valid', prepared.errors);
        await limitAttempt(deps, c, 'phone', prepared.message.phone);
        await deps.enqueueRegistration(prepared.message);
        return c.json({ status: 'queued', reference: prepared.message.reference }, 202);
      },
    )
    .declare(
      {
        method: 'GET',
        path: '/api/v1/registrations/:reference',
        summary: "The household's standing by any reference it was sent (web, SMS or top-up)",
        access: 'public',
        use: [byIp],
        params: { reference: 'reference' },
        ok: {
          status: 200,
          description: 'Status',
          body: json(
            '{ reference, status, reasons, amount?, topUp?, payment?, appeal?, decidedAt?, message }: the SMS STATUS answer',
          ),
        },
        errors: [404, 429],
      },
      async (c, _body, p) => {
        // Every reference the system has sent: a web registration's, an SMS registration's, a top-up's.
        const reference = readReference(p.reference);
        if (!REFERENCE_PATTERN.test(reference))
          throw new NotFoundError('No registration with that reference');
        return c.json(await statusByReference(deps, reference));
      },
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/status',
        summary: 'Status by CNIC and the phone registered with (no enumeration: one 404 for both misses)',
        access: 'public',
        use: [byIp],
        body: StatusQuerySchema,
        ok: { status: 200, description: 'Status', body: json('The decision of record') },
        errors: [400, 404, 429],
      },
      async (c, query) => {
        const cnic = normalizeCnic(query.cnic);
        const phone = normalizePhone(query.phone);
        if (!cnic.ok || !phone.ok) throw new ValidationError('Give a valid CNIC and mobile number');
        await limitAttempt(deps, c, 'lookup', phone.phone);
        const status = await statusByCnicAndPhone(deps, cnic.cnic, phone.phone);
        // The same answer whether the CNIC is unknown or the phone does not match: no enumeration.
        if (!status) throw new NotFoundError('No registration for that CNIC and phone');
        return c.json(status);
      },
    );
}
