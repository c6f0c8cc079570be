import { DynamoDbAuditLog, getRuntime } from '@madad/adapters';
import { verifyLedger } from '@madad/core';
import { useRunningStackEnv } from '../stack-env.js';

/**
 * `madad audit verify`: reads the audit ledger of the running stack (or the cloud one the
 * environment names) and checks its hash chain; exit 1 names the first entry that does not hold.
 */
export async function auditCommand(args: string[]): Promise<number> {
  if (args[0] !== 'verify' || args.length > 1) {
    console.error('usage: madad audit verify');
    return 2;
  }
  await useRunningStackEnv();
  const { config, doc } = getRuntime();
  const verdict = await verifyLedger(new DynamoDbAuditLog(doc, config.tables.operations));
  if (verdict.ok) {
    console.log(`OK: audit ledger intact, ${verdict.count} entries`);
    return 0;
  }
  console.error(
    `BROKEN: audit ledger fails at seq ${verdict.brokenSeq} (${verdict.reason}); ${verdict.count} entries read`,
  );
  return 1;
}
