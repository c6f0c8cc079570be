import {
  approvePaymentBatch,
  ConfirmFailuresRequestSchema,
  CreateBatchRequestSchema,
  confirmPaymentFailures,
  confirmPaymentResults,
  createPaymentBatch,
  exportInstructions,
  type InstructionFormat,
  NotFoundError,
  PaymentResultsSchema,
  type PaymentServiceDeps,
  parseResultsFile,
  paymentSettingsFromEnv,
  publicLine,
  RejectBatchRequestSchema,
  readBatchAndImports,
  rejectPaymentBatch,
  reviewBatch,
  type StaffActor,
  type StaffRole,
  stagePaymentResults,
  summariseBatch,
  UnsupportedMediaTypeError,
  ValidationError,
} from '@madad/core';
import type { Context } from 'hono';
import { rolesOf } from '../access-policy.js';
import type { ApiDeps, AppEnv } from '../deps.js';
import { ApiRoutes } from '../openapi-route.js';

/** Who acts, and under which of the allowed roles (admin when that is what let them in). */
function actorOf(c: Context<AppEnv>, allowed: readonly StaffRole[]): StaffActor {
  const { user, roles } = c.get('principal');
  return { user, role: roles.find((r) => allowed.includes(r)) ?? 'admin' };
}

const FILE_TYPES: Record<InstructionFormat, { type: string; extension: string }> = {
  csv: { type: 'text/csv; charset=utf-8', extension: 'csv' },
  json: { type: 'application/json; charset=utf-8', extension: 'json' },
  pain001: { type: 'application/xml; charset=utf-8', extension: 'xml' },
};

const json = (description: string) => ({ type: 'application/json', description });
const BATCH = json(
  'The batch: status (pending, approved, settled, partly-paid, ...), totals, maker/approver, held households, breakdown by district and category, openAppeals, lines (masked CNICs, bank reason, flags: PAYEE_CHANGED, RETRY, OPEN_APPEAL), imports',
);
const RESULTS = json(
  'The import: status, received, applied, paid, failed, duplicatePayments, unknownReferences',
);
const MAKER = rolesOf('payments.make');
const CHECKER = rolesOf('payments.check');
const FILES = rolesOf('payments.files');
const INSTRUCTIONS = [
  ['csv', 'csv', 'Bank CSV with a checksum line (raw CNICs, audited)'],
  ['json', 'json', 'Payment instructions as JSON (raw CNICs, audited)'],
  ['pain001', 'xml', 'ISO 20022 pain.001.001.09 (raw CNICs, audited)'],
] as const;

/**
 * Payment batches: the maker creates, a different checker approves or rejects, files go out; the
 * bank's results come back staged by one person and take effect when another confirms them.
 */
export function paymentRoutes(deps: ApiDeps): ApiRoutes {
  const service: PaymentServiceDeps = {
    ...deps.payments,
    campaigns: deps.campaigns,
    audit: deps.audit,
    clock: deps.clock,
    settings: paymentSettingsFromEnv(process.env),
    ...(deps.paymentNotices ? { notices: deps.paymentNotices } : {}),
  };
  const routes = new ApiRoutes(deps)
    .declare(
      {
        method: 'POST',
        path: '/api/v1/payment-batches',
        summary: 'Make a payment batch (payees re-checked; households without a valid payee held)',
        access: 'payments.make',
        body: CreateBatchRequestSchema,
        ok: { status: 201, description: 'The batch', body: BATCH },
        errors: [400, 404, 409],
      },
      async (c, request) => {
        const { batch, skipped } = await createPaymentBatch(service, request, actorOf(c, MAKER));
        return c.json({ ...summariseBatch(batch), skipped }, 201);
      },
    )
    .declare(
      {
        method: 'GET',
        path: '/api/v1/payment-batches',
        summary: "A campaign's batches and budget",
        access: 'payments.read',
        query: { campaignId: { required: true, description: 'The campaign' } },
        ok: {
          status: 200,
          description: 'Batches',
          body: json('{ campaignId, budget, items: BatchSummary[] }'),
        },
        errors: [400, 404],
      },
      async (c) => {
        const campaignId = c.req.query('campaignId');
        if (!campaignId) throw new ValidationError('Query parameter `campaignId` is required');
        // A malformed id names no campaign, and must not reach a key (DynamoDB refuses long ones: a 500).
        const wellFormed = CreateBatchRequestSchema.shape.campaignId.safeParse(campaignId).success;
        const campaign = wellFormed ? await deps.campaigns.get(campaignId) : undefined;
        if (!campaign) throw new NotFoundError(wellFormed ? `No campaign ${campaignId}` : 'No such campaign');
        const [items, budget] = await Promise.all([
          deps.payments.batches.listByCampaign(campaignId),
          deps.payments.budget.read(campaignId),
        ]);
        return c.json({
          campaignId,
          budget: {
            cap: campaign.budgetCap,
            maxHouseholds: campaign.maxHouseholds,
            ...budget,
            remaining: campaign.budgetCap - budget.reserved,
          },
          items,
        });
      },
    )
    .declare(
      {
        method: 'GET',
        path: '/api/v1/payment-batches/:id',
        summary: 'A batch with its lines and result imports (completes an interrupted approval or import)',
        access: 'payments.read',
        params: { id: 'batch' },
        ok: { status: 200, description: 'The batch', body: BATCH },
        errors: [404],
      },
      async (c, _body, p) => {
        const { batch, imports } = await readBatchAndImports(service, p.id);
        const lines = await deps.payments.batches.lines(batch.batchId);
        // What the checker weighs: the breakdown, and each line's flags (payee changed, retry, open appeal).
        const review = await reviewBatch({ appeals: deps.appeals, payees: deps.payments.payees }, lines);
        return c.json({
          ...summariseBatch(batch, lines),
          breakdown: review.breakdown,
          openAppeals: review.openAppeals.size,
          imports,
          lines: lines.map((l) => ({ ...publicLine(l), flags: review.flags.get(l.paymentReference) ?? [] })),
        });
      },
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/payment-batches/:id/approve',
        summary: 'Approve a batch (checker: not its maker)',
        access: 'payments.check',
        params: { id: 'batch' },
        ok: { status: 200, description: 'The batch', body: BATCH },
        errors: [404, 409],
      },
      async (c, _body, p) =>
        c.json(summariseBatch(await approvePaymentBatch(service, p.id, actorOf(c, CHECKER)))),
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/payment-batches/:id/reject',
        summary: 'Reject a batch (checker: not its maker)',
        access: 'payments.check',
        params: { id: 'batch' },
        body: RejectBatchRequestSchema,
        ok: { status: 200, description: 'The batch', body: BATCH },
        errors: [400, 404, 409],
      },
      async (c, { reason }, p) =>
        c.json(summariseBatch(await rejectPaymentBatch(service, p.id, reason, actorOf(c, CHECKER)))),
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/payment-batches/:id/results',
        summary: "Stage the bank's results (the uploader); they apply when another staff member confirms",
        access: 'payments.make',
        params: { id: 'batch' },
        otherBodies: [
          PaymentResultsSchema,
          { type: 'text/csv', description: 'paymentReference,status[,reason,paidAt]' },
        ],
        ok: { status: 202, description: 'Staged', body: RESULTS },
        alsoOk: [{ status: 200, description: 'The same file was already applied' }],
        errors: [400, 404, 409, 415],
      },
      async (c, _body, p) => {
        const type = c.req.header('content-type') ?? '';
        if (!/json|csv|text\/plain/i.test(type)) {
          throw new UnsupportedMediaTypeError('Send the result file as application/json or text/csv');
        }
        const results = parseResultsFile(await c.req.text(), type);
        const report = await stagePaymentResults(service, p.id, results, actorOf(c, MAKER));
        // Staged: it takes effect when another staff member confirms it.
        return c.json(report, report.status === 'applied' ? 200 : 202);
      },
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/payment-batches/:id/results/:importId/confirm',
        summary: 'Confirm and apply staged results (not the uploader)',
        access: 'payments.files',
        params: { id: 'batch', importId: 'resultImport' },
        ok: { status: 200, description: 'Applied', body: RESULTS },
        errors: [404, 409],
      },
      async (c, _body, p) =>
        c.json(await confirmPaymentResults(service, p.id, p.importId, actorOf(c, FILES))),
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/payment-batches/:id/failures/confirm',
        summary: 'Confirm failed payments final so they may be re-batched (not the uploader)',
        access: 'payments.files',
        params: { id: 'batch' },
        body: ConfirmFailuresRequestSchema,
        ok: { status: 200, description: 'Confirmed', body: json('{ confirmed: string[], ... }') },
        errors: [400, 404, 409],
      },
      async (c, { references }, p) =>
        c.json(await confirmPaymentFailures(service, p.id, references, actorOf(c, FILES))),
    );
  for (const [format, extension, description] of INSTRUCTIONS) {
    const { type } = FILE_TYPES[format];
    routes.declare(
      {
        method: 'GET',
        path: `/api/v1/payment-batches/:id/instructions.${extension}`,
        summary: `Payment file of an approved batch: ${description}`,
        access: 'payments.files',
        params: { id: 'batch' },
        ok: { status: 200, description: 'The file', body: { type: type.split(';')[0] ?? type, description } },
        errors: [404, 409],
      },
      async (c, _body, p) => {
        const file = await exportInstructions(service, p.id, format, actorOf(c, FILES));
        return c.body(file, 200, {
          'content-type': type,
          'content-disposition': `attachment; filename="${p.id}-instructions.${extension}"`,
          'cache-control': 'no-store',
        });
      },
    );
  }
  return routes;
}
