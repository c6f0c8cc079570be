import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { crashPoint } from '@madad/core';
import { registryKeys } from '../../keys.js';
import type { AcceptedLine, ImportTarget } from './import-kinds.js';

type Item = Record<string, unknown>;

/**
 * Where a household stands in an import's file: the chunk, the line within it and the byte offset of
 * that line. Stored on the PERSON items the parallel import claims (`claim`), so that whoever meets a
 * claim knows which household is earlier in the file, whatever order the chunks ran in.
 */
export interface ClaimTag {
  readonly importId: string;
  readonly chunk: number;
  readonly line: number;
  readonly offset: number;
}

export const formatClaimTag = (t: ClaimTag): string =>
  `${t.importId}#${String(t.chunk).padStart(6, '0')}#${String(t.line).padStart(9, '0')}#${t.offset}`;

export function parseClaimTag(text: unknown): ClaimTag | undefined {
  const match = typeof text === 'string' ? /^(imp-[0-9a-f]{16})#(\d+)#(\d+)#(\d+)$/.exec(text) : null;
  if (!match) return undefined;
  return {
    importId: match[1] ?? '',
    chunk: Number(match[2]),
    line: Number(match[3]),
    offset: Number(match[4]),
  };
}

/** File order of two households of one import. */
export const earlierInFile = (a: ClaimTag, b: ClaimTag): boolean =>
  a.chunk < b.chunk || (a.chunk === b.chunk && a.line < b.line);

/**
 * The parallel import's side of a claim: the tag of a line of this chunk, and where a household that
 * met another household's claim of the same import goes (the finisher decides it in file order).
 */
export interface MemberClaims {
  readonly importId: string;
  tagOf(line: number): ClaimTag;
  contest(accepted: AcceptedLine<unknown>, tag: ClaimTag): Promise<void>;
}

/** A household ready to write: its item, its PERSON items to claim, and who each was indexed to before. */
export interface HouseholdWrite {
  readonly accepted: AcceptedLine<unknown>;
  readonly household: Item;
  readonly people: readonly Item[];
  /** Stored owner of each person to claim (by CNIC hash), as read before: undefined when none. */
  readonly ownerBefore: ReadonlyMap<string, string | undefined>;
}

export class ClaimLostError extends Error {
  override readonly name = 'ClaimLostError';
}

/**
 * Claims each person of the household with a conditional put (free, already the household's, or a
 * stale index left by another import), then writes the household item. Two households of one file
 * that list the same CNIC can no longer both be written: the second to claim loses, gives back what
 * it claimed and returns false (the caller records a contest). Claims come before the household item
 * so that a crash between them leaves only indexes to a household that does not list them, which a
 * re-run takes back.
 */
export async function claimHousehold(
  target: ImportTarget,
  write: HouseholdWrite,
  tag: ClaimTag,
): Promise<boolean> {
  const me = String(write.household.householdId);
  const claim = formatClaimTag(tag);
  const taken: string[] = [];
  try {
    for (const person of write.people) {
      const cnicHash = String(person.cnicHash);
      await putClaim(target, { ...person, claim }, me, write.ownerBefore.get(cnicHash), tag.importId);
      if (write.ownerBefore.get(cnicHash) !== me) taken.push(cnicHash);
    }
  } catch (error) {
    if (!(error instanceof ClaimLostError)) throw error;
    for (const cnicHash of taken) await releaseClaim(target, cnicHash, me, claim);
    return false;
  }
  crashPoint('import-claims.after-claims');
  await target.doc.send(new PutCommand({ TableName: target.table, Item: write.household }));
  return true;
}

/** One conditional claim: the PERSON item is free, the household's, or a stale index of another import. */
export async function putClaim(
  target: ImportTarget,
  person: Item,
  me: string,
  staleOwner: string | undefined,
  importId: string,
): Promise<void> {
  const stale = staleOwner !== undefined && staleOwner !== me;
  try {
    await target.doc.send(
      new PutCommand({
        TableName: target.table,
        Item: person,
        ConditionExpression: `attribute_not_exists(pk) OR householdId = :me${
          stale ? ' OR (householdId = :stale AND NOT begins_with(claim, :import))' : ''
        }`,
        ExpressionAttributeValues: {
          ':me': me,
          ...(stale ? { ':stale': staleOwner, ':import': `${importId}#` } : {}),
        },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException)
      throw new ClaimLostError(
        `CNIC ${String(person.cnicHash).slice(0, 8)}… is claimed by another household`,
      );
    throw error;
  }
}

/** Gives a claim back, only while it is still this household's claim. */
export async function releaseClaim(
  target: ImportTarget,
  cnicHash: string,
  householdId: string,
  claim: string,
): Promise<void> {
  try {
    await target.doc.send(
      new DeleteCommand({
        TableName: target.table,
        Key: registryKeys.person(cnicHash),
        ConditionExpression: 'householdId = :hh AND claim = :claim',
        ExpressionAttributeValues: { ':hh': householdId, ':claim': claim },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
