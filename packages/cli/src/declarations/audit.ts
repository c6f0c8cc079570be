import { defineCommand, defineGroup } from '../command.js';

export const auditVerifyOptions = {
  'all-anchors': {
    type: 'boolean',
    help:
      'check the ledger against every anchor ever written, not only the latest (one read per anchor):\n' +
      'catches a ledger re-chained by someone holding the key, whose older locked anchors still pin the\n' +
      'old hashes',
  },
} as const;

const verify = defineCommand({
  name: 'audit verify',
  summary: 'check the audit ledger: keyed chain, head and the anchor kept outside the table',
  synopsis: ['audit verify [--all-anchors] [--json]'],
  description:
    'Checks the audit ledger of the running local stack (found through MADAD_DATA_DIR, default .madad)\n' +
    "or of the deployed stack 'madad stack' points at: every entry's HMAC-SHA256 under the ledger key,\n" +
    'the links between entries, the head recorded in the table, and the latest signed anchor kept\n' +
    "outside the table (the data folder's audit-anchors.ndjson locally, the Object Lock bucket in the\n" +
    'cloud). An edited, re-chained, truncated or rolled-back ledger fails.',
  options: auditVerifyOptions,
  json: 'print the verdict: {"ok":true,"count":N,"anchoredSeq":N} or {"ok":false,"brokenSeq":N,"reason":"...","count":N}',
  examples: ['madad audit verify', 'madad audit verify --all-anchors --json'],
  exitStatus: [
    '0  the ledger is intact',
    '1  the ledger is broken (the first entry that does not hold is named)',
    '2  usage error',
  ],
  run: async (input) => (await import('../commands/audit.js')).auditCommand(input),
});

export const auditGroup = defineGroup({
  name: 'audit',
  summary: 'the audit ledger of staff actions',
  description: 'Commands on the keyed, anchored ledger every staff action is recorded in.',
  subcommands: [verify],
});
