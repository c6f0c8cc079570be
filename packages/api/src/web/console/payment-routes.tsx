/** @jsxImportSource hono/jsx */
import {
  approvePaymentBatch,
  confirmPaymentFailures,
  confirmPaymentResults,
  createPaymentBatch,
  downloadInstructionsFile,
  exportInstructions,
  exportInstructionsFile,
  type InstructionFormat,
  NotFoundError,
  type PaymentServiceDeps,
  parseResultsFile,
  paymentSettingsFromEnv,
  RejectBatchRequestSchema,
  type ResultReport,
  readBatchAndImports,
  readBatchJob,
  rejectPaymentBatch,
  reviewBatch,
  type StaffActor,
  type StaffRole,
  stagePaymentResults,
  startBatchJob,
  ValidationError,
} from '@madad/core';
import { type Context, Hono } from 'hono';
import { rolesOf } from '../../access-policy.js';
import { allows } from '../../auth.js';
import type { ApiDeps, AppEnv } from '../../deps.js';
import { ID_PATTERNS } from '../../path-ids.js';
import { formText, renderPage } from '../render.js';
import { BatchJobs } from './batch-jobs.js';
import { BatchList } from './batch-list.js';
import { BatchView } from './batch-view.js';
import { ConsolePage, Flash } from './layout.js';
import { staffOnly } from './session.js';

// The same roles as the payments API (`routes/payments.ts`); maker-checker is enforced by the service.
const MAKER: StaffRole[] = rolesOf('payments.make');
const CHECKER: StaffRole[] = rolesOf('payments.check');
const FILES: StaffRole[] = rolesOf('payments.files');
const STAFF: StaffRole[] = rolesOf('payments.read');
const BATCH_ID = ID_PATTERNS.batch;
const IMPORT_ID = ID_PATTERNS.resultImport;
const CAMPAIGN_ID = ID_PATTERNS.campaign;

const DONE: Record<string, string> = {
  created: 'Batch created. It waits for another staff member to approve it.',
  approved: 'Batch approved: its amount is reserved and the instruction file can be downloaded.',
  rejected: 'Batch rejected: its households can go into another batch.',
  'failures-confirmed': 'Failures confirmed: those households can go into another batch.',
  'file-written': 'Payment file written to storage: download it through a link that works for 5 minutes.',
  'job-started': "Batch job started: each district's batches are made in turn; reload to follow it.",
};

/** Who acts, and under which of the allowed roles (admin when that is what let them in), as in the API. */
function actorOf(c: Context<AppEnv>, allowed: readonly StaffRole[]): StaffActor {
  const { user, roles } = c.get('principal');
  return { user, role: roles.find((r) => allowed.includes(r)) ?? 'admin' };
}

function batchId(c: Context<AppEnv>): string {
  const id = c.req.param('id') ?? '';
  if (!BATCH_ID.test(id)) throw new NotFoundError('No such payment batch');
  return id;
}

function importId(c: Context<AppEnv>): string {
  const id = c.req.param('importId') ?? '';
  if (!IMPORT_ID.test(id)) throw new NotFoundError('No such result import');
  return id;
}

/** The uploaded result file, or the pasted CSV, with the content type the parser expects. */
async function resultFile(c: Context<AppEnv>): Promise<{ text: string; type: string }> {
  const body = await c.req.parseBody();
  const file = body.file;
  if (file instanceof File && file.size > 0) {
    const json = /json/i.test(file.type) || file.name.toLowerCase().endsWith('.json');
    return { text: await file.text(), type: json ? 'application/json' : 'text/csv' };
  }
  const pasted = formText(body, 'csv', 256 * 1024);
  if (!pasted.trim()) throw new ValidationError('Choose a result file or paste the CSV');
  return { text: pasted, type: 'text/csv' };
}

/** Payment batches in the console: the same service functions as the payments API. */
export function consolePaymentRoutes(deps: ApiDeps): Hono<AppEnv> {
  const service: PaymentServiceDeps = {
    ...deps.payments,
    campaigns: deps.campaigns,
    audit: deps.audit,
    clock: deps.clock,
    settings: paymentSettingsFromEnv(process.env),
  };

  // The campaign's last five batch jobs with their progress (none where the stack has no batch queue).
  const recentJobs = async (campaignId: string) => {
    if (!deps.batchJobs) return [];
    const store = deps.batchJobs.store;
    const listed = await store.listByCampaign(campaignId, 5);
    return Promise.all(listed.map((j) => readBatchJob({ batchJobs: store }, j.jobId)));
  };

  // Batches of any size: the file is written to storage in parts, each download a short-lived link
  // recorded in the ledger.
  const storedFiles = () => {
    if (!deps.paymentFiles) throw new NotFoundError('This stack keeps no payment files in storage');
    return { ...service, ...deps.paymentFiles };
  };

  const download =
    (format: InstructionFormat, type: string, extension: string) => async (c: Context<AppEnv>) => {
      const id = batchId(c);
      const file = await exportInstructions(service, id, format, actorOf(c, FILES));
      return c.body(file, 200, {
        'content-type': type,
        'content-disposition': `attachment; filename="${id}-instructions.${extension}"`,
        'cache-control': 'no-store',
      });
    };

  const batchPage = async (c: Context<AppEnv>, id: string, report?: ResultReport) => {
    const { batch, imports } = await readBatchAndImports(service, id);
    const lines = await deps.payments.batches.lines(id);
    const review = await reviewBatch({ appeals: deps.appeals, payees: deps.payments.payees }, lines);
    const { user, roles } = c.get('principal');
    const done = DONE[c.req.query('done') ?? ''];
    return renderPage(
      c,
      <ConsolePage title={`Batch ${id}`} principal={c.get('principal')}>
        {done && !report ? <Flash kind="notice">{done}</Flash> : null}
        <BatchView
          batch={batch}
          lines={lines}
          imports={imports}
          user={user}
          canCheck={allows(roles, CHECKER)}
          canDownload={allows(roles, FILES)}
          canUpload={allows(roles, MAKER)}
          canConfirm={allows(roles, FILES)}
          storedFiles={deps.paymentFiles !== undefined}
          report={report}
          review={review}
        />
      </ConsolePage>,
    );
  };

  return new Hono<AppEnv>()
    .get('/console/campaigns/:id/payments', staffOnly(deps, ...STAFF), async (c) => {
      const id = c.req.param('id');
      const campaign = CAMPAIGN_ID.test(id) ? await deps.campaigns.get(id) : undefined;
      if (!campaign) throw new NotFoundError('No such campaign');
      const [batches, budget, jobs] = await Promise.all([
        deps.payments.batches.listByCampaign(id),
        deps.payments.budget.read(id),
        recentJobs(id),
      ]);
      const principal = c.get('principal');
      const done = DONE[c.req.query('done') ?? ''];
      return renderPage(
        c,
        <ConsolePage title={`Payments: ${campaign.name}`} principal={principal}>
          <p class="muted">
            <a href={`/console/campaigns/${id}`}>{campaign.name}</a> / payment batches
          </p>
          <h1>Payment batches</h1>
          {done ? <Flash kind="notice">{done}</Flash> : null}
          <BatchJobs
            campaign={campaign}
            jobs={jobs}
            canMake={deps.batchJobs !== undefined && allows(principal.roles, MAKER)}
          />
          <BatchList
            campaign={campaign}
            batches={batches}
            budget={budget}
            canMake={allows(principal.roles, MAKER)}
          />
        </ConsolePage>,
      );
    })
    .post('/console/campaigns/:id/payments', staffOnly(deps, ...MAKER), async (c) => {
      const body = await c.req.parseBody();
      const district = formText(body, 'district', 60);
      const category = formText(body, 'category', 30);
      const maxLines = Number(formText(body, 'maxLines', 10) || 1000);
      const { batch } = await createPaymentBatch(
        service,
        {
          campaignId: c.req.param('id'),
          ...(district ? { district } : {}),
          ...(category === 'TOP_UP' || category === 'NEW_BENEFICIARY' ? { category } : {}),
          maxLines,
        },
        actorOf(c, MAKER),
      );
      return c.redirect(`/console/payment-batches/${batch.batchId}?done=created`, 303);
    })
    .post('/console/campaigns/:id/payments/jobs', staffOnly(deps, ...MAKER), async (c) => {
      if (!deps.batchJobs) throw new NotFoundError('This stack has no batch queue');
      const maxLines = Number(formText(await c.req.parseBody(), 'maxLines', 10) || 5000);
      const { store, queue } = deps.batchJobs;
      await startBatchJob(
        { campaigns: deps.campaigns, clock: deps.clock, batchJobs: store, queue },
        { campaignId: c.req.param('id'), maxLines },
        actorOf(c, MAKER),
      );
      return c.redirect(`/console/campaigns/${c.req.param('id')}/payments?done=job-started`, 303);
    })
    .get('/console/payment-batches/:id', staffOnly(deps, ...STAFF), (c) => batchPage(c, batchId(c)))
    .post('/console/payment-batches/:id/approve', staffOnly(deps, ...CHECKER), async (c) => {
      const batch = await approvePaymentBatch(service, batchId(c), actorOf(c, CHECKER));
      return c.redirect(`/console/payment-batches/${batch.batchId}?done=approved`, 303);
    })
    .post('/console/payment-batches/:id/reject', staffOnly(deps, ...CHECKER), async (c) => {
      const parsed = RejectBatchRequestSchema.safeParse({
        reason: formText(await c.req.parseBody(), 'reason', 500),
      });
      if (!parsed.success)
        throw new ValidationError('Give a reason for the rejection (at least 3 characters)');
      const batch = await rejectPaymentBatch(service, batchId(c), parsed.data.reason, actorOf(c, CHECKER));
      return c.redirect(`/console/payment-batches/${batch.batchId}?done=rejected`, 303);
    })
    .get(
      '/console/payment-batches/:id/instructions.csv',
      staffOnly(deps, ...FILES),
      download('csv', 'text/csv; charset=utf-8', 'csv'),
    )
    .get(
      '/console/payment-batches/:id/instructions.xml',
      staffOnly(deps, ...FILES),
      download('pain001', 'application/xml; charset=utf-8', 'xml'),
    )
    .post('/console/payment-batches/:id/file', staffOnly(deps, ...FILES), async (c) => {
      const id = batchId(c);
      await exportInstructionsFile(storedFiles(), id, actorOf(c, FILES));
      return c.redirect(`/console/payment-batches/${id}?done=file-written`, 303);
    })
    .get('/console/payment-batches/:id/file', staffOnly(deps, ...FILES), async (c) => {
      const { url } = await downloadInstructionsFile(storedFiles(), batchId(c), actorOf(c, FILES));
      return c.redirect(url, 303);
    })
    .post('/console/payment-batches/:id/results', staffOnly(deps, ...MAKER), async (c) => {
      const id = batchId(c);
      const { text, type } = await resultFile(c);
      const report = await stagePaymentResults(service, id, parseResultsFile(text, type), actorOf(c, MAKER));
      return batchPage(c, id, report);
    })
    .post('/console/payment-batches/:id/results/:importId/confirm', staffOnly(deps, ...FILES), async (c) => {
      const id = batchId(c);
      const report = await confirmPaymentResults(service, id, importId(c), actorOf(c, FILES));
      return batchPage(c, id, report);
    })
    .post('/console/payment-batches/:id/failures/confirm', staffOnly(deps, ...FILES), async (c) => {
      const id = batchId(c);
      await confirmPaymentFailures(service, id, undefined, actorOf(c, FILES));
      return c.redirect(`/console/payment-batches/${id}?done=failures-confirmed`, 303);
    });
}
