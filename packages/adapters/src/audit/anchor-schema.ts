import type { AuditAnchor } from '@madad/core';
import * as z from 'zod';

/** An anchor as stored outside the table (one NDJSON line locally, one S3 object in the cloud). */
export const AuditAnchorSchema: z.ZodType<AuditAnchor> = z.object({
  seq: z.number().int().min(1),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string(),
  mac: z.string().regex(/^[0-9a-f]{64}$/),
});
