import { NotFoundError } from '@madad/core';
import * as z from 'zod';

/** The one pattern of each id a route takes in its path (the console's pages check the same). */
export const ID_PATTERNS = {
  campaign: /^C-[A-Z0-9]{1,40}$/,
  replay: /^v[0-9]{1,9}$/,
  appeal: /^A[0-9A-Z]{7}$/,
  household: /^[A-Za-z0-9-]{1,40}$/,
  changeRequest: /^CR-[0-9A-F]{8}$/,
  batch: /^B-[0-9A-F]{8}$/,
  /** A payment batch job (`startBatchJob`). */
  batchJob: /^BJ-[0-9A-F]{8}$/,
  resultImport: /^R-[0-9A-F]{16}$/,
  /** A back-check sample (`drawSample`). */
  sample: /^BC-[0-9A-F]{10}$/,
  /** A parallel import of an uploaded file (`importIdFor`). */
  import: /^imp-[0-9a-f]{16}$/,
  /** A reference as people type it (read leniently by `readReference`, then checked by the route). */
  reference: /^.{1,40}$/,
} as const;

export type PathIdKind = keyof typeof ID_PATTERNS;

const MISSING: Record<PathIdKind, string> = {
  campaign: 'No such campaign',
  replay: 'No such replay',
  appeal: 'No such appeal',
  household: 'No such household',
  changeRequest: 'No such change request',
  batch: 'No such payment batch',
  batchJob: 'No such batch job',
  resultImport: 'No such result import',
  sample: 'No such sample',
  import: 'No such import',
  reference: 'No registration with that reference',
};

/**
 * The one schema of each path id. A malformed id names nothing: a 404 before it can reach a key
 * (DynamoDB refuses long keys with a 500). The document shows each pattern.
 */
export const pathIdSchema = (kind: PathIdKind) => z.string().regex(ID_PATTERNS[kind]);

/** `raw` if it is a well-formed id of `kind`, else a 404 saying there is no such thing. */
export function pathId(kind: PathIdKind, raw: string | undefined): string {
  if (raw === undefined || !ID_PATTERNS[kind].test(raw)) throw new NotFoundError(MISSING[kind]);
  return raw;
}
