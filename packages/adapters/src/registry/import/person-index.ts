import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { registryKeys } from '../../keys.js';
import { batchGetAll, mapConcurrently } from '../../runtime/dynamodb-batch.js';
import type { ImportTarget } from './import-kinds.js';

type Item = Record<string, unknown>;

/** The CNIC hashes a household item lists. */
export function memberHashes(household: Item | undefined): string[] {
  return Array.isArray(household?.members)
    ? (household.members as Item[]).map((m) => String(m.cnicHash))
    : [];
}

/** Members the stored household lists and the re-imported one does not: their index must go. */
export function removedMembers(stored: Item | undefined, imported: Item): string[] {
  const kept = new Set(memberHashes(imported));
  return memberHashes(stored).filter((hash) => !kept.has(hash));
}

/**
 * Removes the PERSON items of members a re-import dropped from `householdId`, each only while it
 * still points at that household (a member already moved elsewhere keeps their new index). Done
 * before the household item is rewritten, so a re-run after a crash still sees them in the old item.
 */
export async function unindexRemoved(
  target: ImportTarget,
  removed: readonly { householdId: string; cnicHash: string }[],
): Promise<void> {
  await mapConcurrently(removed, 10, async ({ householdId, cnicHash }) => {
    try {
      await target.doc.send(
        new DeleteCommand({
          TableName: target.table,
          Key: registryKeys.person(cnicHash),
          ConditionExpression: 'householdId = :hh',
          ExpressionAttributeValues: { ':hh': householdId },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  });
}

/**
 * Of the households other lines' members are indexed to, those that still list that member: the
 * member cannot move yet. An index whose household no longer lists the member is stale (left by an
 * import that stopped between its writes) and is simply repointed.
 */
export async function ownersStillListing(
  target: ImportTarget,
  claims: readonly { owner: string; cnicHash: string }[],
  known: ReadonlyMap<string, Item>,
): Promise<(claim: { owner: string; cnicHash: string }) => boolean> {
  const missing = [...new Set(claims.map((c) => c.owner))].filter((id) => !known.has(id));
  const read = await batchGetAll(target.doc, target.table, missing.map(registryKeys.household));
  const households = new Map(known);
  for (const item of read) households.set(String(item.householdId), item);
  return ({ owner, cnicHash }) => memberHashes(households.get(owner)).includes(cnicHash);
}
