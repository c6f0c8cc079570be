import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ImportKindName } from '@madad/adapters';
import {
  ConfigurationError,
  dynamoGazetteerStore,
  formatOf,
  getRuntime,
  ImportAbortedError,
  type ImportSummary,
  importAreasFile,
  importFile,
  loadSecrets,
  storedAreaResolver,
} from '@madad/adapters';
import { type CodeMapping, CodeMappingSchema, ImportHeaderError, UnknownCodeTargetError } from '@madad/core';
import { resolveDataDir } from '@madad/local/state';
import { type CommandInput, oneOf, UsageError, wholeNumber } from '../command.js';
import type { importOptions } from '../declarations/import.js';
import { formatDuration, startProgress } from '../progress.js';
import { useRunningStackEnv } from '../stack-env.js';
import { importThroughBucket, isParallelKind, largeEnoughForParallel, watchImport } from './import-cloud.js';

const KINDS: readonly (ImportKindName | 'areas')[] = ['registry', 'identity', 'exclusions', 'areas'];

/** `madad import KIND FILE`: streams a registry file into the running stack (or the configured tables). */
export async function importCommand({
  values,
  positionals,
}: CommandInput<typeof importOptions>): Promise<number> {
  if (values.watch !== undefined) {
    if (positionals.length > 0) throw new UsageError('--watch takes an import id, not KIND FILE');
    if (!(await connect())) return 1;
    return watchImport(values.watch, values.json);
  }
  if (positionals.length !== 2) throw new UsageError('import takes KIND and FILE');
  if (values.parallel && (values['dry-run'] || values['single-process']))
    throw new UsageError('--parallel goes without --dry-run and --single-process');
  const kind = oneOf(positionals[0] ?? '', KINDS, 'the kind of file');
  const file = positionals[1] ?? '';
  const concurrency = wholeNumber(values.concurrency, '--concurrency');
  const decoding = {
    ...(values.format ? { format: oneOf(values.format, ['csv', 'ndjson'] as const, '--format') } : {}),
    ...(values.codes ? { codes: await readCodes(values.codes) } : {}),
    maxLineLength: wholeNumber(values['max-line-length'], '--max-line-length', 64),
    dryRun: values['dry-run'],
    ...(values.rejects ? { rejectsPath: resolve(values.rejects) } : {}),
  };
  const target = await connect();
  if (!target) return 1;
  try {
    if (
      isParallelKind(kind) &&
      (values.parallel ||
        (!values['single-process'] && !values['dry-run'] && (await largeEnoughForParallel(resolve(file)))))
    ) {
      return await importThroughBucket({
        kind,
        file: resolve(file),
        // The workers decode as this process would: the same format, codes and longest line.
        decoding: {
          format: await formatOf({ file: resolve(file), ...decoding }),
          ...(decoding.codes ? { codes: decoding.codes } : {}),
          maxLineLength: decoding.maxLineLength,
        },
        rejectsPath: decoding.rejectsPath ?? `${resolve(file)}.rejects.ndjson`,
        json: values.json,
      });
    }
    const store = dynamoGazetteerStore(target.doc, target.table);
    const summary =
      kind === 'areas'
        ? await importAreasFile({ file: resolve(file), store, ...decoding })
        : await importFile({
            kind,
            file: resolve(file),
            target,
            concurrency,
            checkRegistry: !values['skip-registry-check'],
            ...decoding,
            ...(kind === 'registry' ? { areas: await storedAreaResolver(target.doc, target.table) } : {}),
            progress: (totalBytes) => startProgress({ label: `import ${kind}`, totalBytes }),
          });
    console.log(values.json ? JSON.stringify(summary) : formatSummary(summary));
    return 0;
  } catch (error) {
    if (error instanceof ImportAbortedError) {
      console.log(values.json ? JSON.stringify(error.partial) : formatSummary(error.partial));
      console.error(
        `${error.message}\nWhat was written stays; re-running the same import is safe (idempotent).`,
      );
      return 1;
    }
    if (error instanceof ImportHeaderError || error instanceof UnknownCodeTargetError) {
      console.error(error.message);
      return 1;
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      console.error(`No such file: ${file}`);
      return 1;
    }
    throw error;
  }
}

/** The `--codes` mapping file, checked before anything is read (a bad one is a usage error). */
async function readCodes(path: string): Promise<CodeMapping> {
  let text: string;
  try {
    text = await readFile(resolve(path), 'utf8');
  } catch {
    throw new UsageError(`--codes: cannot read ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--codes: ${path} is not JSON (${(error as Error).message})`);
  }
  const parsed = CodeMappingSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`--codes: ${issue?.path.join('.') || path}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

async function connect() {
  await useRunningStackEnv();
  if (!process.env.MADAD_DYNAMODB_ENDPOINT && process.env.MADAD_STAGE !== 'cloud') {
    console.error(
      `No running local stack found in ${resolveDataDir()}: start it with npm start, ` +
        'or set MADAD_DYNAMODB_ENDPOINT and the MADAD_TABLE_* variables to import elsewhere.',
    );
    return undefined;
  }
  try {
    const { config, doc } = getRuntime();
    const { cnicPepper } = await loadSecrets();
    return { doc, table: config.tables.registry, pepper: cnicPepper };
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    console.error(`Cannot reach the registry: ${error.message}`);
    return undefined;
  }
}

function formatSummary(s: ImportSummary): string {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  // The top reasons first, each with its first line, so a data owner sees what to fix.
  const reasons = Object.entries(s.rejectedByReason)
    .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0))
    .map(([reason, count]) => {
      const example = s.examples?.[reason as keyof typeof s.rejectedByReason];
      const first = example ? `  first on line ${example.line}: ${example.message.slice(0, 160)}` : '';
      return `    ${reason.padEnd(18)} ${n(count ?? 0).padStart(9)}${first}`;
    });
  return [
    `${s.dryRun ? 'Dry run (nothing written): ' : ''}Import ${s.kind} from ${s.file}${s.format ? ` (${s.format})` : ''} in ${s.elapsedSeconds < 60 ? `${s.elapsedSeconds.toFixed(1)} s` : formatDuration(s.elapsedSeconds)}`,
    `  read      ${n(s.lines)} lines${s.blank > 0 ? ` (${n(s.blank)} blank)` : ''}, ${n(s.linesPerSecond)} lines/s`,
    `  ${s.dryRun ? 'would import' : 'imported'}  ${n(s.imported)}${s.kind === 'registry' ? ' households' : ' records'}`,
    `  rejected  ${n(s.rejected)}`,
    ...reasons,
    ...(s.ignoredColumns?.length ? [`  columns not read: ${s.ignoredColumns.join(', ')}`] : []),
    s.dryRun ? '  rejects   (none written on a dry run)' : `  rejects   ${s.rejectsPath}`,
  ].join('\n');
}
