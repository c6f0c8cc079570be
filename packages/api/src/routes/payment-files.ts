import {
  downloadInstructionsFile,
  exportInstructionsFile,
  NotFoundError,
  type PaymentServiceDeps,
  paymentSettingsFromEnv,
  type StaffActor,
} from '@madad/core';
import type { Context } from 'hono';
import { rolesOf } from '../access-policy.js';
import type { ApiDeps, AppEnv } from '../deps.js';
import { ApiRoutes } from '../openapi-route.js';

const FILES = rolesOf('payments.files');
const json = (description: string) => ({ type: 'application/json', description });

function actorOf(c: Context<AppEnv>): StaffActor {
  const { user, roles } = c.get('principal');
  return {
    user,
    role: roles.find((r): r is (typeof FILES)[number] => r !== 'admin' && FILES.includes(r)) ?? 'admin',
  };
}

/**
 * Payment files in the stack's bucket, for batches of any size: written there in parts, downloaded
 * through a short-lived link that the ledger records.
 */
export function paymentFileRoutes(deps: ApiDeps): ApiRoutes {
  const files = () => {
    if (!deps.paymentFiles) throw new NotFoundError('This stack keeps no payment files in storage');
    const service: PaymentServiceDeps = {
      ...deps.payments,
      campaigns: deps.campaigns,
      audit: deps.audit,
      clock: deps.clock,
      settings: paymentSettingsFromEnv(process.env),
      ...(deps.paymentNotices ? { notices: deps.paymentNotices } : {}),
    };
    return { ...service, ...deps.paymentFiles };
  };
  return new ApiRoutes(deps)
    .declare(
      {
        method: 'POST',
        path: '/api/v1/payment-batches/:id/file',
        summary:
          "Write an approved batch's CSV payment file to storage in parts (raw CNICs, audited); its households move to sent",
        access: 'payments.files',
        params: { id: 'batch' },
        ok: { status: 201, description: 'Written', body: json('{ key, lines, total, bytes, sha256 }') },
        errors: [404, 409],
      },
      async (c, _body, p) => c.json(await exportInstructionsFile(files(), p.id, actorOf(c)), 201),
    )
    .declare(
      {
        method: 'GET',
        path: '/api/v1/payment-batches/:id/file',
        summary: "A 5-minute download link to the batch's payment file (each link is a ledger entry)",
        access: 'payments.files',
        params: { id: 'batch' },
        ok: { status: 200, description: 'The link', body: json('{ url, expiresAt }') },
        errors: [404, 409],
      },
      async (c, _body, p) => c.json(await downloadInstructionsFile(files(), p.id, actorOf(c))),
    );
}
