import { CodeMappingSchema } from '@madad/core';
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

/**
 * How to decode an upload, as `madad import` was told (`--format`, `--codes`, `--max-line-length`):
 * stored beside the upload (`uploadDecodingKey`) before the upload itself, read by the splitter and
 * carried in every work item, so the workers decode exactly as the single-process import would.
 */
export const UploadDecodingSchema = z.strictObject({
  format: ImportFormatSchema.optional(),
  codes: CodeMappingSchema.optional(),
  maxLineLength: z.number().int().positive().optional(),
});
export type UploadDecoding = z.infer<typeof UploadDecodingSchema>;

/** Where an upload's decoding options go: outside `uploads/`, so storing them starts no import. */
export const uploadDecodingKey = (uploadKey: string): string => `upload-decoding/${uploadKey}.json`;

/**
 * The upload's metadata that says its decoding options are stored (`x-amz-meta-madad-decoding: yes`):
 * without ListBucket, S3 answers a read of a missing object with 403, so the splitter reads them only
 * when told they are there.
 */
export const UPLOAD_DECODING_METADATA = 'madad-decoding';

/** One queue work item: a chunk of whole records of an uploaded file. */
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
  codes: CodeMappingSchema.optional(),
  maxLineLength: z.number().int().positive().optional(),
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
