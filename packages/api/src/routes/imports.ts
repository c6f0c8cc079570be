import { NotFoundError } from '@madad/core';
import * as z from 'zod';
import type { ApiDeps } from '../deps.js';
import { ApiRoutes } from '../openapi-route.js';

const count = z.number().int().nonnegative();

/** How far a parallel import is (`madad import --parallel`, or an upload to the files bucket). */
export const ImportProgressSchema = z.object({
  importId: z.string(),
  kind: z.enum(['registry', 'identity', 'exclusions']),
  format: z.enum(['ndjson', 'csv']),
  key: z.string().describe('The uploaded object, uploads/<kind>/<file>'),
  size: count,
  chunks: count,
  chunksDone: count,
  lines: count,
  imported: count,
  rejected: count,
  blank: count,
  rejectedByReason: z.record(z.string(), count),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
});
export type ImportProgress = z.infer<typeof ImportProgressSchema>;

/** The import jobs, read by key (a few a day: the newest from one small listing partition). */
export interface ImportReads {
  recent(limit?: number): Promise<readonly ImportProgress[]>;
  get(importId: string): Promise<ImportProgress | undefined>;
}

/** Progress of the parallel imports, for the staff who read the registry (as the console's page). */
export function importRoutes(deps: ApiDeps): ApiRoutes {
  return new ApiRoutes(deps)
    .declare(
      {
        method: 'GET',
        path: '/api/v1/imports',
        summary: 'Parallel imports, newest first: chunks done of all, lines, imported, rejected',
        access: 'households.profile',
        ok: { status: 200, description: 'Imports', body: z.object({ items: z.array(ImportProgressSchema) }) },
      },
      async (c) => {
        const items = deps.imports ? await deps.imports.recent(20) : [];
        return c.json({ items: items.map((job) => ImportProgressSchema.parse(job)) });
      },
    )
    .declare(
      {
        method: 'GET',
        path: '/api/v1/imports/:importId',
        summary: 'One parallel import: its progress, and once finished its totals',
        access: 'households.profile',
        params: { importId: 'import' },
        ok: { status: 200, description: 'The import', body: ImportProgressSchema },
        errors: [404],
      },
      async (c, _body, { importId }) => {
        const job = await deps.imports?.get(importId);
        if (!job) throw new NotFoundError('No such import');
        return c.json(ImportProgressSchema.parse(job));
      },
    );
}
