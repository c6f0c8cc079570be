import {
  DynamoDbAuthorityDirectory,
  DynamoDbCrossValidationReports,
  DynamoDbRectificationStore,
  DynamoDbRosterSource,
  getRuntime,
} from '@madad/adapters';
import {
  type CrossValidationReport,
  crossValidateRoster,
  ROSTER_FIELDS,
  type StratumReport,
} from '@madad/core';
import { type CommandInput, wholeNumber } from '../command.js';
import type { crossValidateOptions } from '../declarations/cross-validate.js';
import { useRunningStackEnv } from '../stack-env.js';

const pct = (rate: number) => `${(rate * 100).toFixed(2)}%`;
const count = (n: number) => n.toLocaleString('en-US');

function strataLines(strata: readonly StratumReport[], limit: number): string[] {
  const rate = (s: StratumReport) => (s.members === 0 ? 0 : s.membersWithMismatch / s.members);
  return [...strata]
    .sort((a, b) => rate(b) - rate(a) || a.stratum.localeCompare(b.stratum))
    .slice(0, limit)
    .map(
      (s) =>
        `  ${s.stratum.padEnd(34)} ${count(s.members).padStart(8)} members  ${pct(rate(s)).padStart(7)} with a mismatch`,
    );
}

function reportText(report: CrossValidationReport & { opened: number }, strata: number): string {
  return [
    `Cross-validated ${count(report.members)} members of ${count(report.households)} households with the ID authority (run ${report.runId}):`,
    `  ${count(report.mismatches)} mismatched fields, ${count(report.opened)} new rectifications opened; ${count(report.unknownToAuthority)} members unknown to the ID authority`,
    'Per field:',
    ...ROSTER_FIELDS.map((f) => {
      const r = report.fields[f];
      return `  ${f.padEnd(14)} ${count(r.mismatched).padStart(7)} of ${count(r.compared).padStart(8)}  ${pct(r.rate).padStart(7)}`;
    }),
    `By source:`,
    ...strataLines(report.bySource, Number.MAX_SAFE_INTEGER),
    `Districts with the highest rates (${Math.min(strata, report.byDistrict.length)} of ${report.byDistrict.length}; --json for all, with tehsils):`,
    ...strataLines(report.byDistrict, strata),
  ].join('\n');
}

/** `madad cross-validate`: the roster against the ID authority, rectifications opened, report printed. */
export async function crossValidateCommand({
  values,
}: CommandInput<typeof crossValidateOptions>): Promise<number> {
  const strata = wholeNumber(values.strata, '--strata');
  await useRunningStackEnv();
  const { config, doc } = getRuntime();
  const table = config.tables.registry;
  const now = new Date();
  const runId = `CV-${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
  const tty = process.stderr.isTTY === true;
  // A Scan page can be small (the filter drops other items): redraw on a terminal, else a line every 5 s.
  let lastLine = 0;
  const report = await crossValidateRoster(
    {
      roster: new DynamoDbRosterSource(doc, table),
      authority: new DynamoDbAuthorityDirectory(doc, table),
      rectifications: new DynamoDbRectificationStore(doc, table),
      clock: { now: () => new Date() },
    },
    {
      runId,
      onProgress: (p) => {
        if (!tty && Date.now() - lastLine < 5000) return;
        lastLine = Date.now();
        process.stderr.write(
          `  ${count(p.households)} households, ${count(p.members)} members, ${count(p.mismatches)} mismatches, ${count(p.opened)} opened${tty ? '\r' : '\n'}`,
        );
      },
    },
  );
  if (tty) process.stderr.write('\n');
  await new DynamoDbCrossValidationReports(doc, table).save({
    ...report,
    finishedAt: new Date().toISOString(),
  });
  console.log(values.json ? JSON.stringify(report) : reportText(report, strata));
  return 0;
}
