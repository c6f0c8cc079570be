import { auditTrustFromEnv, DynamoDbAuditLog, getRuntime } from '@madad/adapters';
import { verifyLedger } from '@madad/core';
import type { CommandInput } from '../command.js';
import type { auditVerifyOptions } from '../declarations/audit.js';
import { useRunningStackEnv } from '../stack-env.js';

/**
 * `madad audit verify`: reads the audit ledger of the running stack (or the cloud one the environment
 * names) and checks its keyed chain against its latest anchor; exit 1 names the first entry that does
 * not hold.
 */
export async function auditCommand({
  values: { json, 'all-anchors': allAnchors },
}: CommandInput<typeof auditVerifyOptions>): Promise<number> {
  await useRunningStackEnv();
  const { config, doc } = getRuntime();
  const trust = auditTrustFromEnv();
  const verdict = await verifyLedger(new DynamoDbAuditLog(doc, config.tables.operations, trust), trust, {
    allAnchors,
  });
  if (json) console.log(JSON.stringify(verdict));
  else if (verdict.ok) {
    console.log(`OK: audit ledger intact, ${verdict.count} entries`);
    console.log(
      verdict.anchoredSeq === undefined
        ? 'No anchor yet (nothing appended)'
        : `Matches its latest anchor (seq ${verdict.anchoredSeq}), kept outside the table`,
    );
  } else
    console.error(
      `BROKEN: audit ledger fails at seq ${verdict.brokenSeq} (${verdict.reason}); ${verdict.count} entries read`,
    );
  return verdict.ok ? 0 : 1;
}
