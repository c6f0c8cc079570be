import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ImportKindName } from '@madad/adapters';
import {
  ConfigurationError,
  getRuntime,
  ImportAbortedError,
  type ImportSummary,
  importFile,
  loadSecrets,
} from '@madad/adapters';
import { resolveDataDir } from '@madad/local';
import { formatDuration, startProgress } from '../progress.js';
import { useRunningStackEnv } from '../stack-env.js';

const KINDS: readonly ImportKindName[] = ['registry', 'identity', 'exclusions'];
const USAGE = [
  'usage: madad import registry|identity|exclusions FILE [--rejects PATH] [--concurrency N] [--skip-registry-check]',
  '  registry    households NDJSON (householdId, province, district, tehsil, pmtScore, members[], ...)',
  '  identity    the ID authority view (cnic, name, gender, birthYear, status, simPhones[])',
  '  exclusions  exclusion feed (cnic, filter, source, observedAt)',
  '  --skip-registry-check   registry only: check duplicate CNICs within the file only, not against',
  '                          households already in the registry (a first bulk load into an empty registry; faster).',
  '                          Without it, a re-import also unindexes members a household no longer lists and lets',
  '                          them move to another household; with it, nothing is reconciled.',
].join('\n');

/** `madad import KIND FILE`: streams a registry file into the running stack (or the configured tables). */
export async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      rejects: { type: 'string' },
      concurrency: { type: 'string', default: '8' },
      'skip-registry-check': { type: 'boolean', default: false },
    },
  });
  const [kind, file] = positionals;
  const concurrency = Number(values.concurrency);
  if (
    !kind ||
    !KINDS.includes(kind as ImportKindName) ||
    !file ||
    !Number.isInteger(concurrency) ||
    concurrency < 1
  ) {
    console.error(USAGE);
    return 2;
  }
  const target = await connect();
  if (!target) return 1;
  try {
    const summary = await importFile({
      kind: kind as ImportKindName,
      file: resolve(file),
      target,
      concurrency,
      checkRegistry: !values['skip-registry-check'],
      ...(values.rejects ? { rejectsPath: resolve(values.rejects) } : {}),
      progress: (totalBytes) => startProgress({ label: `import ${kind}`, totalBytes }),
    });
    console.log(formatSummary(summary));
    return 0;
  } catch (error) {
    if (error instanceof ImportAbortedError) {
      console.log(formatSummary(error.partial));
      console.error(
        `${error.message}\nWhat was written stays; re-running the same import is safe (idempotent).`,
      );
      return 1;
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      console.error(`No such file: ${file}`);
      return 1;
    }
    throw error;
  }
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
  const reasons = Object.entries(s.rejectedByReason)
    .map(([reason, count]) => `${reason} ${n(count ?? 0)}`)
    .join(', ');
  return [
    `Import ${s.kind} from ${s.file} in ${s.elapsedSeconds < 60 ? `${s.elapsedSeconds.toFixed(1)} s` : formatDuration(s.elapsedSeconds)}`,
    `  read      ${n(s.lines)} lines${s.blank > 0 ? ` (${n(s.blank)} blank)` : ''}, ${n(s.linesPerSecond)} lines/s`,
    `  imported  ${n(s.imported)}`,
    `  rejected  ${n(s.rejected)}${reasons ? `  (${reasons})` : ''}`,
    `  rejects   ${s.rejectsPath}`,
  ].join('\n');
}
