import {
  type BackCheckReport,
  BackCheckReportSchema,
  NotFoundError,
  type RegistryHealthReport,
  RegistryHealthReportSchema,
} from '@madad/core';
import * as z from 'zod';
import type { ApiDeps } from '../deps.js';
import { ApiRoutes } from '../openapi-route.js';

/** A back-check sample's id (`drawSample`): `BC-` and ten hex digits. */
export const SAMPLE_ID = /^BC-[0-9A-F]{10}$/;

export const SampleSummarySchema = z.object({
  sampleId: z.string(),
  drawnAt: z.string(),
  seed: z.string(),
  by: z.string(),
  size: z.number(),
  population: z.number(),
});

export type SampleSummary = z.infer<typeof SampleSummarySchema>;

/** What the quality routes and pages read: reports the jobs stored, each by key (never a Scan). */
export interface QualityReads {
  healthReport(): Promise<RegistryHealthReport | undefined>;
  listSamples(limit?: number): Promise<SampleSummary[]>;
  sampleReport(sampleId: string): Promise<BackCheckReport | undefined>;
}

/** `deps.quality`, or a 404 on a stack built without it (tests that fake other ports only). */
export function qualityReads(deps: ApiDeps): QualityReads {
  if (!deps.quality) throw new NotFoundError('No quality reports on this stack');
  return deps.quality;
}

/**
 * The registry's quality, read by the staff who read household profiles: the health report of
 * `npx madad quality`, the back-check samples, and each sample's report (`npx madad sample results`).
 */
export function qualityRoutes(deps: ApiDeps): ApiRoutes {
  return new ApiRoutes(deps)
    .declare(
      {
        method: 'GET',
        path: '/api/v1/quality/health',
        summary:
          'The latest registry health report (completeness, stale surveys, shared phones, repeats, deceased heads)',
        access: 'households.profile',
        ok: { status: 200, description: 'The stored report', body: RegistryHealthReportSchema },
        errors: [404],
      },
      async (c) => {
        const report = await qualityReads(deps).healthReport();
        if (!report) throw new NotFoundError('No health report yet: run npx madad quality');
        return c.json(report);
      },
    )
    .declare(
      {
        method: 'GET',
        path: '/api/v1/quality/samples',
        summary: 'Back-check samples drawn, newest first',
        access: 'households.profile',
        ok: { status: 200, description: 'Samples', body: z.object({ items: z.array(SampleSummarySchema) }) },
      },
      async (c) => c.json({ items: deps.quality ? await deps.quality.listSamples(50) : [] }),
    )
    .declare(
      {
        method: 'GET',
        path: '/api/v1/quality/samples/:sampleId/report',
        summary: "A back-check sample's report: error rates per field and stratum with intervals, outliers",
        access: 'households.profile',
        params: { sampleId: 'sample' },
        ok: { status: 200, description: 'The stored report', body: BackCheckReportSchema },
        errors: [404],
      },
      async (c) => {
        const sampleId = c.req.param('sampleId');
        if (!sampleId || !SAMPLE_ID.test(sampleId)) throw new NotFoundError('No such sample');
        const report = await qualityReads(deps).sampleReport(sampleId);
        if (!report) throw new NotFoundError(`No results imported for ${sampleId} yet`);
        return c.json(report);
      },
    );
}
