import { backfillReferences, DynamoDbReferenceIndex, getRuntime } from '@madad/adapters';
import type { CommandInput } from '../command.js';
import type { backfillOptions } from '../declarations/references.js';
import { useRunningStackEnv } from '../stack-env.js';

/** `madad references backfill`: indexes the references the registration records hold. */
export async function referencesCommand({
  values: { json },
}: CommandInput<typeof backfillOptions>): Promise<number> {
  await useRunningStackEnv();
  const { config, doc } = getRuntime();
  const table = config.tables.operations;
  const result = await backfillReferences(doc, table, new DynamoDbReferenceIndex(doc, table));
  if (json) console.log(JSON.stringify(result));
  else console.log(`Indexed ${result.written} reference(s) from ${result.scanned} item(s) read`);
  return 0;
}
