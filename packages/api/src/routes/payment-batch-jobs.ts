import {
  NotFoundError,
  readBatchJob,
  type StaffActor,
  StartBatchJobRequestSchema,
  startBatchJob,
  ValidationError,
} from '@madad/core';
import { rolesOf } from '../access-policy.js';
import type { ApiDeps } from '../deps.js';
import { ApiRoutes } from '../openapi-route.js';
import { pathIdSchema } from '../path-ids.js';

const MAKER = rolesOf('payments.make');
const JOB = {
  type: 'application/json',
  description:
    '{ jobId, campaignId, requestedBy, requestedAt, maxLines, category?, status: running|done, areas: { done, total }, batches, lines, total, held, districts: [{ district, status: queued|done, batches, lines, total, held }] }',
};

/**
 * Batch making as a job: the maker asks, the batch worker makes each district's batches from the
 * batch queue (in parallel, resumable), and anyone who reads payments follows its progress. The
 * batches it makes are `pending` until a second person approves them, as any batch.
 */
export function paymentBatchJobRoutes(deps: ApiDeps): ApiRoutes {
  const jobs = () => {
    if (!deps.batchJobs) throw new NotFoundError('This stack has no batch queue');
    return deps.batchJobs;
  };
  return new ApiRoutes(deps)
    .declare(
      {
        method: 'POST',
        path: '/api/v1/payment-batch-jobs',
        summary:
          "Make a campaign's payment batches as a job: one work item a district on the batch queue, at most maxLines a batch; follow it on GET .../payment-batch-jobs/{id}",
        access: 'payments.make',
        body: StartBatchJobRequestSchema,
        ok: { status: 202, description: 'The job, queued', body: JOB },
        errors: [400, 404, 409],
      },
      async (c, request) => {
        const { user, roles } = c.get('principal');
        const actor: StaffActor = { user, role: roles.find((r) => MAKER.includes(r)) ?? 'admin' };
        const { store, queue } = jobs();
        const job = await startBatchJob(
          { campaigns: deps.campaigns, clock: deps.clock, batchJobs: store, queue },
          request,
          actor,
        );
        return c.json(await readBatchJob({ batchJobs: store }, job.jobId), 202);
      },
    )
    .declare(
      {
        method: 'GET',
        path: '/api/v1/payment-batch-jobs',
        summary: "A campaign's batch jobs, newest first (at most 20)",
        access: 'payments.read',
        query: { campaignId: { required: true, description: 'The campaign' } },
        ok: {
          status: 200,
          description: 'Jobs',
          body: { type: 'application/json', description: '{ campaignId, items: Job[] }' },
        },
        errors: [400],
      },
      async (c) => {
        const campaignId = c.req.query('campaignId');
        if (!campaignId || !pathIdSchema('campaign').safeParse(campaignId).success) {
          throw new ValidationError('Query parameter `campaignId` must be a campaign id');
        }
        const { store } = jobs();
        const listed = await store.listByCampaign(campaignId, 20);
        const items = await Promise.all(listed.map((j) => readBatchJob({ batchJobs: store }, j.jobId)));
        return c.json({ campaignId, items });
      },
    )
    .declare(
      {
        method: 'GET',
        path: '/api/v1/payment-batch-jobs/:id',
        summary: 'A batch job and its progress: districts done of all, batches, lines and amount made so far',
        access: 'payments.read',
        params: { id: 'batchJob' },
        ok: { status: 200, description: 'The job', body: JOB },
        errors: [404],
      },
      async (c, _body, p) => c.json(await readBatchJob({ batchJobs: jobs().store }, p.id)),
    );
}
