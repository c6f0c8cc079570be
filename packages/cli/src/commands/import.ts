import { resolve } from 'node:path';
import type { ImportKindName } from '@madad/adapters';
import {
  ConfigurationError,
  getRuntime,
  ImportAbortedError,
  type ImportSummary,
  importFile,
  loadSecrets,
} from '@madad/adapters';
import { resolveDataDir } from '@madad/local/state';
import { type CommandInput, oneOf, wholeNumber } from '../command.js';
import type { importOptions } from '../declarations/import.js';
import { formatDuration, startProgress } from '../progress.js';
import { useRunningStackEnv } from '../stack-env.js';

const KINDS: readonly ImportKindName[] = ['registry', 'identity', 'exclusions'];

/** `madad import KIND FILE`: streams a registry file into the running stack (or the configured tables). */
export async function importCommand({
  values,
  positionals,
}: CommandInput<typeof importOptions>): Promise<number> {
  const kind = oneOf(positionals[0] ?? '', KINDS, 'the kind of file');
  const file = positionals[1] ?? '';
  const concurrency = wholeNumber(values.concurrency, '--concurrency');
  const target = await connect();
  if (!target) return 1;
  try {
    const summary = await importFile({
      kind,
      file: resolve(file),
      target,
      concurrency,
      checkRegistry: !values['skip-registry-check'],
      ...(values.rejects ? { rejectsPath: resolve(values.rejects) } : {}),
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
