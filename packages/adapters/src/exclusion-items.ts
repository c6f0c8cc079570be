import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { type ExclusionImport, hashCnic, normalizeCnic, registryKeys } from '@madad/core';

/**
 * The update that records exclusion flags of one CNIC: `filters` is a string set grown with ADD and
 * `sources` maps each filter to where and when it was observed. Both are idempotent and commutative,
 * so exclusion feeds can be imported before or after the registry, and re-run, without undoing
 * anything. DynamoDB cannot SET `sources.X` before `sources` exists, nor create it in the same
 * expression, hence two forms: `create` (when the item has no sources yet) and `merge`.
 */
export function exclusionUpdate(
  table: string,
  cnicHash: string,
  flags: readonly ExclusionImport[],
  form: 'create' | 'merge',
): UpdateCommandInput {
  const sources = Object.fromEntries(
    flags.map((f) => [f.filter, { source: f.source, observedAt: f.observedAt }]),
  );
  const names: Record<string, string> = {
    '#type': 'type',
    '#hash': 'cnicHash',
    '#sources': 'sources',
    '#filters': 'filters',
  };
  const values: Record<string, unknown> = {
    ':type': 'EXCLUSIONS',
    ':hash': cnicHash,
    ':filters': new Set(flags.map((f) => f.filter)),
  };
  let setSources = '#sources = :sources';
  if (form === 'merge') {
    setSources = flags
      .map((f, i) => {
        names[`#f${i}`] = f.filter;
        values[`:s${i}`] = sources[f.filter];
        return `#sources.#f${i} = :s${i}`;
      })
      .join(', ');
  } else {
    values[':sources'] = sources;
  }
  return {
    TableName: table,
    Key: registryKeys.exclusions(cnicHash),
    UpdateExpression: `SET #type = :type, #hash = :hash, ${setSources} ADD #filters :filters`,
    ConditionExpression: form === 'create' ? 'attribute_not_exists(#sources)' : 'attribute_exists(#sources)',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** Writes exclusion lines, one update per CNIC (its lines merged), whatever the item's prior state. */
export async function writeExclusions(
  doc: DynamoDBDocumentClient,
  table: string,
  pepper: string,
  lines: readonly ExclusionImport[],
): Promise<void> {
  const byHash = new Map<string, ExclusionImport[]>();
  for (const line of lines) {
    const cnic = normalizeCnic(line.cnic);
    if (!cnic.ok) throw new Error(`Invalid CNIC (${cnic.error})`);
    const hash = hashCnic(pepper, cnic.cnic);
    byHash.set(hash, [...(byHash.get(hash) ?? []), line]);
  }
  for (const [hash, flags] of byHash) await upsertFlags(doc, table, hash, flags);
}

async function upsertFlags(
  doc: DynamoDBDocumentClient,
  table: string,
  hash: string,
  flags: ExclusionImport[],
) {
  // Most CNICs are flagged once: try `create` first; a second import (or a concurrent one) falls to `merge`.
  const forms = ['create', 'merge', 'create', 'merge'] as const;
  for (const form of forms) {
    try {
      await doc.send(new UpdateCommand(exclusionUpdate(table, hash, flags, form)));
      return;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  throw new Error(`Exclusion flags of ${hash.slice(0, 8)}... kept changing under the import`);
}
