import { auditTrustFromEnv, DynamoDbAuditLog, getRuntime } from '@madad/adapters';
import { verifyLedger } from '@madad/core';
import { useRunningStackEnv } from '../stack-env.js';

const USAGE = `usage: madad audit verify [--json] [--all-anchors]

Checks the audit ledger of the running local stack (found through MADAD_DATA_DIR, default .madad) or of
the deployment the environment names: every entry's HMAC-SHA256 under the ledger key, the links between
entries, the head recorded in the table, and the latest signed anchor kept outside the table (the data
folder's audit-anchors.ndjson locally, the Object Lock bucket in the cloud). An edited, re-chained,
truncated or rolled-back ledger fails. Exit 0 intact, 1 broken, 2 usage.

  --json          print the verdict as JSON: {ok, count, anchoredSeq?} or {ok, brokenSeq, reason, count}
  --all-anchors   check the ledger against every anchor ever written, not only the latest (one read
                  per anchor): catches a ledger re-chained by someone holding the key, whose older
                  locked anchors still pin the old hashes`;

/**
 * `madad audit verify`: reads the audit ledger of the running stack (or the cloud one the environment
 * names) and checks its keyed chain against its latest anchor; exit 1 names the first entry that does
 * not hold.
 */
export async function auditCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const json = args.includes('--json');
  const allAnchors = args.includes('--all-anchors');
  const rest = args.filter((a) => a !== '--json' && a !== '--all-anchors');
  if (rest[0] !== 'verify' || rest.length > 1) {
    console.error(USAGE);
    return 2;
  }
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
