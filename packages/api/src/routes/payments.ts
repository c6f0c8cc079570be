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
import { type Context, Hono } from 'hono';
import type * as z from 'zod';
import { requireRoles } from '../auth.js';
import type { ApiDeps, AppEnv } from '../deps.js';
import { jsonBody } from '../json-body.js';

function parse<T extends z.ZodType>(schema: T, body: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const details = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new ValidationError(`The ${what} is not valid`, details);
  }
  return result.data;
}

/** Who acts, and under which of the allowed roles (admin when that is what let them in). */
function actorOf(c: Context<AppEnv>, allowed: readonly StaffRole[]): StaffActor {
  const { user, roles } = c.get('principal');
  return { user, role: roles.find((r) => allowed.includes(r)) ?? 'admin' };
}

const BATCH_ID = /^B-[0-9A-F]{8}$/;
function batchId(c: Context<AppEnv>): string {
  const id = c.req.param('id') ?? '';
  if (!BATCH_ID.test(id)) throw new NotFoundError('No such payment batch');
  return id;
}

const IMPORT_ID = /^R-[0-9A-F]{16}$/;
function importId(c: Context<AppEnv>): string {
  const id = c.req.param('importId') ?? '';
  if (!IMPORT_ID.test(id)) throw new NotFoundError('No such result import');
  return id;
}

const FILE_TYPES: Record<InstructionFormat, { type: string; extension: string }> = {
  csv: { type: 'text/csv; charset=utf-8', extension: 'csv' },
  json: { type: 'application/json; charset=utf-8', extension: 'json' },
  pain001: { type: 'application/xml; charset=utf-8', extension: 'xml' },
};

/**
 * Payment batches: the maker creates, a different checker approves or rejects, files go out; the
 * bank's results come back staged by one person and take effect when another confirms them.
 */
export function paymentRoutes(deps: ApiDeps): Hono<AppEnv> {
  const service: PaymentServiceDeps = {
    ...deps.payments,
    campaigns: deps.campaigns,
    audit: deps.audit,
    clock: deps.clock,
    settings: paymentSettingsFromEnv(process.env),
    ...(deps.paymentNotices ? { notices: deps.paymentNotices } : {}),
  };
  const MAKER: StaffRole[] = ['program-officer'];
  const CHECKER: StaffRole[] = ['approver'];
  const FILES: StaffRole[] = ['program-officer', 'approver'];
  const STAFF: StaffRole[] = ['program-officer', 'approver', 'auditor'];

  const instructions = (format: InstructionFormat) => async (c: Context<AppEnv>) => {
    const file = await exportInstructions(service, batchId(c), format, actorOf(c, FILES));
    const id = batchId(c);
    const { type, extension } = FILE_TYPES[format];
    return c.body(file, 200, {
      'content-type': type,
      'content-disposition': `attachment; filename="${id}-instructions.${extension}"`,
      'cache-control': 'no-store',
    });
  };

  return new Hono<AppEnv>()
    .post('/api/v1/payment-batches', requireRoles(deps, ...MAKER), async (c) => {
      const request = parse(CreateBatchRequestSchema, await jsonBody(c), 'batch request');
      const { batch, skipped } = await createPaymentBatch(service, request, actorOf(c, MAKER));
      return c.json({ ...summariseBatch(batch), skipped }, 201);
    })
    .get('/api/v1/payment-batches', requireRoles(deps, ...STAFF), async (c) => {
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
    })
    .get('/api/v1/payment-batches/:id', requireRoles(deps, ...STAFF), async (c) => {
      const { batch, imports } = await readBatchAndImports(service, batchId(c));
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
    })
    .post('/api/v1/payment-batches/:id/approve', requireRoles(deps, ...CHECKER), async (c) =>
      c.json(summariseBatch(await approvePaymentBatch(service, batchId(c), actorOf(c, CHECKER)))),
    )
    .post('/api/v1/payment-batches/:id/reject', requireRoles(deps, ...CHECKER), async (c) => {
      const { reason } = parse(RejectBatchRequestSchema, await jsonBody(c), 'rejection');
      return c.json(
        summariseBatch(await rejectPaymentBatch(service, batchId(c), reason, actorOf(c, CHECKER))),
      );
    })
    .get('/api/v1/payment-batches/:id/instructions.csv', requireRoles(deps, ...FILES), instructions('csv'))
    .get('/api/v1/payment-batches/:id/instructions.json', requireRoles(deps, ...FILES), instructions('json'))
    .get(
      '/api/v1/payment-batches/:id/instructions.xml',
      requireRoles(deps, ...FILES),
      instructions('pain001'),
    )
    .post('/api/v1/payment-batches/:id/results', requireRoles(deps, ...MAKER), async (c) => {
      const type = c.req.header('content-type') ?? '';
      if (!/json|csv|text\/plain/i.test(type)) {
        throw new UnsupportedMediaTypeError('Send the result file as application/json or text/csv');
      }
      const results = parseResultsFile(await c.req.text(), type);
      const report = await stagePaymentResults(service, batchId(c), results, actorOf(c, MAKER));
      // Staged: it takes effect when another staff member confirms it.
      return c.json(report, report.status === 'applied' ? 200 : 202);
    })
    .post('/api/v1/payment-batches/:id/results/:importId/confirm', requireRoles(deps, ...FILES), async (c) =>
      c.json(await confirmPaymentResults(service, batchId(c), importId(c), actorOf(c, FILES))),
    )
    .post('/api/v1/payment-batches/:id/failures/confirm', requireRoles(deps, ...FILES), async (c) => {
      const { references } = parse(ConfirmFailuresRequestSchema, await jsonBody(c), 'confirmation');
      return c.json(await confirmPaymentFailures(service, batchId(c), references, actorOf(c, FILES)));
    });
}
