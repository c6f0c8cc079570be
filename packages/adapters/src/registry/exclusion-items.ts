import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type ExclusionImport, hashCnic, normalizeCnic } from '@madad/core';
import { registryKeys } from '../keys.js';
import { batchGetAll, mapConcurrently } from '../runtime/dynamodb-batch.js';
import { filtersOf, type HouseholdSnapshot, memberFlagsName, memberHash } from './household-record.js';

/** Updates in flight at once for one chunk of an import. */
const WRITE_CONCURRENCY = 16;

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

/**
 * Writes exclusion lines, one update per CNIC (its lines merged), whatever the item's prior state,
 * then folds each CNIC's flags (all of them, not only this import's) into the decision view of its
 * household: every member's PERSON item. CNICs not in the registry yet are folded in by the
 * registry import when their household comes.
 */
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
  const merged = await mapConcurrently([...byHash], WRITE_CONCURRENCY, ([hash, flags]) =>
    upsertFlags(doc, table, hash, flags),
  );
  await foldIntoViews(doc, table, new Map([...byHash.keys()].map((hash, i) => [hash, merged[i] ?? []])));
}

async function upsertFlags(
  doc: DynamoDBDocumentClient,
  table: string,
  hash: string,
  flags: ExclusionImport[],
): Promise<string[]> {
  // Most CNICs are flagged once: try `create` first; a second import (or a concurrent one) falls to `merge`.
  const forms = ['create', 'merge', 'create', 'merge'] as const;
  for (const form of forms) {
    try {
      const result = await doc.send(
        new UpdateCommand({ ...exclusionUpdate(table, hash, flags, form), ReturnValues: 'ALL_NEW' }),
      );
      return filtersOf(result.Attributes);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  throw new Error(`Exclusion flags of ${hash.slice(0, 8)}... kept changing under the import`);
}

/** Flags to add to one PERSON item: member index in its snapshot, the member's hash, the flags. */
type Fold = { index: number; hash: string; flags: readonly string[] };

/**
 * Adds flagged CNICs' flags to the decision view of their households: one conditional update per
 * member PERSON item (ADD to the member's flag set, so re-runs and concurrent imports are harmless).
 * The member list comes from the flagged person's own snapshot; a PERSON item without one (written
 * before the view) is left alone: its household is then read the old way, flags included.
 */
async function foldIntoViews(
  doc: DynamoDBDocumentClient,
  table: string,
  flagsByHash: ReadonlyMap<string, readonly string[]>,
): Promise<void> {
  const people = await batchGetAll(doc, table, [...flagsByHash.keys()].map(registryKeys.person));
  const folds = new Map<string, Fold[]>();
  for (const person of people) {
    const hash = String(person.cnicHash);
    const members = ((person.hh as HouseholdSnapshot | undefined)?.m ?? []).map(memberHash);
    const index = members.indexOf(hash);
    const flags = flagsByHash.get(hash) ?? [];
    if (index < 0 || flags.length === 0) continue;
    for (const member of members) folds.set(member, [...(folds.get(member) ?? []), { index, hash, flags }]);
  }
  await mapConcurrently([...folds], WRITE_CONCURRENCY, ([member, adds]) =>
    addMemberFlags(doc, table, member, adds),
  );
}

async function addMemberFlags(
  doc: DynamoDBDocumentClient,
  table: string,
  member: string,
  adds: readonly Fold[],
): Promise<void> {
  let pending = adds;
  // The condition checks that each index still names the flagged member; when it does not (the
  // member's snapshot lists the household in another order, or the item has no snapshot), re-read
  // the item and find the members again.
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt === 3)
      throw new Error(`The view of ${member.slice(0, 8)}... kept changing under the exclusion import`);
    try {
      await doc.send(new UpdateCommand(addFlagsUpdate(table, member, pending)));
      return;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await doc.send(
      new GetCommand({ TableName: table, Key: registryKeys.person(member), ConsistentRead: true }),
    );
    const members = ((Item?.hh as HouseholdSnapshot | undefined)?.m ?? []).map(memberHash);
    pending = pending.flatMap((fold) => {
      const index = members.indexOf(fold.hash);
      return index < 0 ? [] : [{ ...fold, index }];
    });
  }
}

function addFlagsUpdate(table: string, member: string, adds: readonly Fold[]): UpdateCommandInput {
  const names: Record<string, string> = { '#hh': 'hh', '#m': 'm' };
  const values: Record<string, unknown> = {};
  const add: string[] = [];
  const conditions: string[] = [];
  adds.forEach((fold, i) => {
    names[`#x${i}`] = memberFlagsName(fold.index);
    values[`:x${i}`] = new Set(fold.flags);
    values[`:h${i}`] = `${fold.hash} `;
    add.push(`#x${i} :x${i}`);
    conditions.push(`begins_with(#hh.#m[${fold.index}], :h${i})`);
  });
  return {
    TableName: table,
    Key: registryKeys.person(member),
    UpdateExpression: `ADD ${add.join(', ')}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
