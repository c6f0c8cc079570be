import { backfillReferences, DynamoDbReferenceIndex, getRuntime } from '@madad/adapters';
import { useRunningStackEnv } from '../stack-env.js';

const USAGE = `usage: madad references backfill [--json]

Makes every reference sent before the reference index existed (one per SMS message then) findable by
the status page and GET /api/v1/registrations/{reference}: reads the registration records of the
running local stack (found through MADAD_DATA_DIR, default .madad) or of the deployment the
environment names, and writes the index item of each reference that was told to the household alone.
Run once after deploying issue 15; a second run writes the same items. Scans the operations table:
an operator step, never a request path. Exit 0 done, 2 usage.

  --json   print {scanned, written} as JSON`;

/** `madad references backfill`: indexes the references the registration records hold. */
export async function referencesCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  if (rest[0] !== 'backfill' || rest.length > 1) {
    console.error(USAGE);
    return 2;
  }
  await useRunningStackEnv();
  const { config, doc } = getRuntime();
  const table = config.tables.operations;
  const result = await backfillReferences(doc, table, new DynamoDbReferenceIndex(doc, table));
  if (json) console.log(JSON.stringify(result));
  else console.log(`Indexed ${result.written} reference(s) from ${result.scanned} item(s) read`);
  return 0;
}
