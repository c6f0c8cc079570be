import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import {
  createPrivateWriteStream,
  describeImportProgress,
  followImport,
  type ImportSummaryDocument,
  importSplitterDeps,
  PARALLEL_IMPORT_KINDS,
  type UploadDecoding,
  uploadAndStartImport,
} from '@madad/adapters';

/** From this size `madad import` goes through the bucket and the parallel workers (64 MiB). */
export const PARALLEL_FROM_BYTES = 64 * 1024 * 1024;

type ParallelKind = (typeof PARALLEL_IMPORT_KINDS)[number];

export const isParallelKind = (kind: string): kind is ParallelKind =>
  (PARALLEL_IMPORT_KINDS as readonly string[]).includes(kind);

/** Whether a file this size takes the parallel path by default. */
export async function largeEnoughForParallel(file: string): Promise<boolean> {
  return (await stat(file)).size >= PARALLEL_FROM_BYTES;
}

const waitASecond = () => new Promise<void>((resolve) => setTimeout(resolve, 1_000));

/**
 * `madad import KIND FILE --parallel`: uploads FILE to the stack's files bucket, starts its split and
 * follows the workers to the summary; the reject file is copied beside FILE (`rejectsPath`).
 */
export async function importThroughBucket(input: {
  readonly kind: ParallelKind;
  readonly file: string;
  readonly rejectsPath: string;
  readonly json: boolean;
  readonly decoding: UploadDecoding;
}): Promise<number> {
  const deps = importSplitterDeps();
  const job = await uploadAndStartImport(deps, {
    kind: input.kind,
    file: input.file,
    decoding: input.decoding,
  });
  process.stderr.write(
    `uploaded ${input.file} as ${job.key}; import ${job.importId}, ${job.chunks} chunks\n`,
  );
  const summary = await follow(deps, job.importId);
  if (summary.rejectsKey) await copyRejects(deps, summary.rejectsKey, input.rejectsPath);
  print({ ...summary, ...(summary.rejectsKey ? { rejectsPath: input.rejectsPath } : {}) }, input.json);
  return 0;
}

/** `madad import --watch IMPORT_ID`: follows an import started elsewhere (an upload, the console). */
export async function watchImport(importId: string, json: boolean): Promise<number> {
  const deps = importSplitterDeps();
  print(await follow(deps, importId), json);
  return 0;
}

async function follow(deps: ReturnType<typeof importSplitterDeps>, importId: string) {
  let last = '';
  return followImport(deps, importId, {
    poll: waitASecond,
    onProgress: (job) => {
      const line = describeImportProgress(job);
      // On stderr, so that --json's stdout stays one document.
      if (line !== last) process.stderr.write(`${line}\n`);
      last = line;
    },
  });
}

async function copyRejects(
  deps: ReturnType<typeof importSplitterDeps>,
  key: string,
  path: string,
): Promise<void> {
  // Reject lines quote raw CNICs and names: the local copy is owner-only, like the single-process one.
  const out = createPrivateWriteStream(path);
  out.write((await deps.files.readText(key)) ?? '');
  out.end();
  await once(out, 'finish');
}

function print(summary: ImportSummaryDocument & { rejectsPath?: string }, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(summary));
    return;
  }
  const n = (x: number) => x.toLocaleString('en-US');
  const reasons = Object.entries(summary.rejectedByReason)
    .sort(([, a], [, b]) => b - a)
    .map(([reason, count]) => `    ${reason.padEnd(18)} ${n(count).padStart(9)}`);
  const seconds = (Date.parse(summary.finishedAt) - Date.parse(summary.startedAt)) / 1000;
  console.log(
    [
      `Import ${summary.kind} ${summary.importId} from ${summary.key} (${summary.format}, ${n(summary.chunks)} chunks) in ${seconds.toFixed(1)} s`,
      `  read      ${n(summary.lines)} lines${summary.blank > 0 ? ` (${n(summary.blank)} blank)` : ''}`,
      `  imported  ${n(summary.imported)}${summary.kind === 'registry' ? ' households' : ' records'}`,
      `  rejected  ${n(summary.rejected)}`,
      ...reasons,
      ...(summary.rejectsKey ? [`  rejects   ${summary.rejectsPath ?? summary.rejectsKey}`] : []),
    ].join('\n'),
  );
}
