import * as z from 'zod';
import type { ImportKindName } from './import-kinds.js';

/** The kinds of file the parallel import takes, named by the upload's folder (`uploads/<kind>/`). */
export const PARALLEL_IMPORT_KINDS = [
  'registry',
  'identity',
  'exclusions',
] as const satisfies readonly ImportKindName[];

export const ImportFormatSchema = z.enum(['ndjson', 'csv']);
export type ImportFormat = z.infer<typeof ImportFormatSchema>;

/** One queue work item: a chunk of whole lines of an uploaded file. */
export const ImportWorkSchema = z.strictObject({
  importId: z.string().regex(/^imp-[0-9a-f]{16}$/),
  kind: z.enum(PARALLEL_IMPORT_KINDS),
  format: ImportFormatSchema,
  key: z.string().min(1),
  chunk: z.number().int().nonnegative(),
  start: z.number().int().nonnegative(),
  end: z.number().int().positive(),
  /** CSV: bytes `[0, headerEnd)` are the header line every chunk decodes with. */
  headerEnd: z.number().int().nonnegative().optional(),
});
export type ImportWork = z.infer<typeof ImportWorkSchema>;

/** The folder an upload goes to, by kind: `uploads/registry/`, ... */
export const uploadPrefix = (kind: ImportKindName): string => `uploads/${kind}/`;

/** Where a chunk's rejects go; the import's whole reject file is `rejectsKey`. */
export const chunkRejectsKey = (importId: string, chunk: number): string =>
  `rejects/${importId}/chunk-${String(chunk).padStart(6, '0')}.ndjson`;
export const rejectsKey = (importId: string): string => `rejects/${importId}.ndjson`;
export const summaryKey = (importId: string): string => `imports/${importId}/summary.json`;

export class UnknownImportUploadError extends Error {
  override readonly name = 'UnknownImportUploadError';
}

/** The kind (from the folder) and the format (from the extension) of an uploaded file. */
export function describeUpload(key: string): {
  kind: (typeof PARALLEL_IMPORT_KINDS)[number];
  format: ImportFormat;
} {
  const match = /^uploads\/([a-z]+)\/.+$/.exec(key);
  const kind = PARALLEL_IMPORT_KINDS.find((k) => k === match?.[1]);
  if (!kind) {
    throw new UnknownImportUploadError(
      `${key}: uploads go to uploads/<kind>/<file>, kind one of ${PARALLEL_IMPORT_KINDS.join(', ')}`,
    );
  }
  return { kind, format: key.toLowerCase().endsWith('.csv') ? 'csv' : 'ndjson' };
}
