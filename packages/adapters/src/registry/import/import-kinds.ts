import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  ExclusionFilterSchema,
  type ExclusionImport,
  type HouseholdImport,
  type IdentityImport,
  type LineResult,
  validateExclusionLine,
  validateHouseholdLine,
  validateIdentityLine,
} from '@madad/core';
import { registryKeys } from '../../keys.js';
import { batchGetAll, batchPutAll, mapConcurrently } from '../../runtime/dynamodb-batch.js';
import { writeExclusions } from '../exclusion-items.js';
import { filtersOf, personItems } from '../household-record.js';
import { householdItems, identityItem } from '../registry-items.js';
import { claimHousehold, type HouseholdWrite, type MemberClaims, parseClaimTag } from './member-claims.js';
import { fingerprint, NumberSet } from './number-set.js';
import { ownersStillListing, removedMembers, unindexRemoved } from './person-index.js';
import type { Rejection } from './reject-file.js';

/** Where an import writes: the registry table, and the pepper that turns CNICs into keys. */
export interface ImportTarget {
  readonly doc: DynamoDBDocumentClient;
  readonly table: string;
  readonly pepper: string;
}

export interface AcceptedLine<T> {
  readonly line: number;
  readonly raw: string;
  readonly value: T;
}

export interface ChunkResult {
  readonly imported: number;
  readonly rejected: { line: number; raw: string; rejection: Rejection }[];
  /**
   * Lines to write again once every other line is written: a member still listed by another
   * household that a later line may re-import without them (a move within one file).
   */
  readonly deferred?: AcceptedLine<unknown>[];
  /** Parallel import: households that met another household's claim of the import (decided at the end). */
  readonly contested?: number;
}

/** The importer's pass: the first, or the last, for deferred lines (a clash then is final). */
export interface WritePass {
  readonly last: boolean;
}

/** How one kind of file is validated, de-duplicated and written. */
export interface ImportKind<T> {
  validate(raw: string): LineResult<T>;
  /** Remembers the line's unique keys; a rejection (and nothing remembered) when one came earlier. */
  remember(value: T): Rejection | undefined;
  /** Items the line writes, to size chunks. */
  weight(value: T): number;
  write(chunk: readonly AcceptedLine<T>[], pass?: WritePass): Promise<ChunkResult>;
}

export type ImportKindName = 'registry' | 'identity' | 'exclusions';

const FILTER_INDEX = new Map(ExclusionFilterSchema.options.map((f, i) => [f, i + 1]));

/**
 * Households: a CNIC may belong to one household only, in the file (remembered compactly) and, when
 * `checkRegistry` is on, in the registry too (a CNIC already indexed to the same household is fine,
 * so re-runs are idempotent). With the check, a re-import reconciles the CNIC index: members the
 * household no longer lists are unindexed, and a member may move to another household once the old
 * one no longer lists them, in the same file (the line is retried at the end) or a later one. With the check, the members' exclusion flags already imported are read
 * in the same BatchGet and folded into the decision view of their PERSON items; without it (bulk
 * mode) the view starts without flags, so exclusion files must be imported after the registry.
 */
export function registryKind(
  target: ImportTarget,
  options: {
    checkRegistry: boolean;
    /**
     * The parallel import: each chunk sees only its own lines, so a CNIC listed by two households of
     * the file is settled by conditional claims of the PERSON items instead of this process's memory,
     * and the household that meets another's claim is contested (the finisher decides in file order).
     */
    claims?: MemberClaims;
  },
): ImportKind<HouseholdImport> {
  const cnics = new NumberSet(1 << 20);
  const households = new NumberSet(1 << 18);
  return {
    validate: validateHouseholdLine,
    remember(household) {
      const repeated = household.members.findIndex((m) => cnics.has(Number(m.cnic)));
      if (repeated >= 0) {
        return {
          reason: 'DUPLICATE_MEMBER',
          message: `members.${repeated}.cnic is a member of an earlier household in this file`,
          path: ['members', repeated, 'cnic'],
        };
      }
      if (!households.add(fingerprint(household.householdId))) {
        return {
          reason: 'DUPLICATE_RECORD',
          message: `household ${household.householdId} appears earlier in this file`,
        };
      }
      for (const m of household.members) cnics.add(Number(m.cnic));
      return undefined;
    },
    weight: (household) => household.members.length + 1,
    async write(chunk, pass = { last: false }) {
      const prepared = chunk.map((accepted) => ({
        accepted,
        items: householdItems(target.pepper, accepted.value),
      }));
      if (!options.checkRegistry) {
        await batchPutAll(
          target.doc,
          target.table,
          prepared.flatMap((p) => p.items),
        );
        return { imported: prepared.length, rejected: [] };
      }
      const { writable, groups, rejected, deferred, removed, contested } = await checkAgainstRegistry(
        target,
        prepared,
        pass,
        options.claims?.importId,
      );
      // Dropped members are unindexed before their household is rewritten (see unindexRemoved).
      await unindexRemoved(target, removed);
      const claims = options.claims;
      if (!claims) {
        await batchPutAll(target.doc, target.table, writable);
        return { imported: prepared.length - rejected.length - deferred.length, rejected, deferred };
      }
      const lost: AcceptedLine<unknown>[] = [...contested];
      let imported = 0;
      await mapConcurrently(groups, 8, async (group) => {
        if (await claimHousehold(target, group, claims.tagOf(group.accepted.line))) imported++;
        else lost.push(group.accepted);
      });
      for (const accepted of lost) await claims.contest(accepted, claims.tagOf(accepted.line));
      return { imported, rejected, deferred, contested: lost.length };
    },
  };
}

type Item = Record<string, unknown>;

/**
 * Reads the household items of a chunk's lines and the PERSON and EXCLUSIONS items of their members
 * in one BatchGet round. A member indexed to another household that still lists them defers the line
 * (the other household may be re-imported without them later in the file) and, on the last pass,
 * rejects it; an index whose household no longer lists the member is repointed. Members the stored
 * household lists and the line does not are returned to be unindexed. The members' flags go into the
 * PERSON items' decision view; PERSON items already exactly as they would be written are left alone,
 * which makes re-running an import mostly reads.
 */
async function checkAgainstRegistry(
  target: ImportTarget,
  prepared: readonly { accepted: AcceptedLine<HouseholdImport>; items: Item[] }[],
  pass: WritePass,
  importId?: string,
): Promise<{
  writable: Item[];
  groups: HouseholdWrite[];
  contested: AcceptedLine<unknown>[];
  rejected: ChunkResult['rejected'];
  deferred: AcceptedLine<unknown>[];
  removed: { householdId: string; cnicHash: string }[];
}> {
  // Person items follow the household item, in member order.
  const hashes = prepared.flatMap((p) => p.items.slice(1).map((item) => String(item.cnicHash)));
  const keys = [
    ...prepared.map((p) => registryKeys.household(p.accepted.value.householdId)),
    ...hashes.flatMap((hash) => [registryKeys.person(hash), registryKeys.exclusions(hash)]),
  ];
  const existing = new Map(
    (await batchGetAll(target.doc, target.table, keys)).map((item) => [`${item.pk}|${item.sk}`, item]),
  );
  const stored = (key: { pk: string; sk: string }) => existing.get(`${key.pk}|${key.sk}`);
  const flagsOf = (hash: string) => filtersOf(stored(registryKeys.exclusions(hash)));
  const ownerOf = (hash: string) => {
    const owner = stored(registryKeys.person(hash))?.householdId;
    return owner === undefined ? undefined : String(owner);
  };
  const claims = prepared.flatMap((p) =>
    p.items.slice(1).flatMap((person) => {
      const cnicHash = String(person.cnicHash);
      const owner = ownerOf(cnicHash);
      return owner !== undefined && owner !== p.accepted.value.householdId ? [{ owner, cnicHash }] : [];
    }),
  );
  const storedHouseholds = new Map(
    prepared.flatMap((p) => {
      const item = stored(registryKeys.household(p.accepted.value.householdId));
      return item ? [[p.accepted.value.householdId, item] as const] : [];
    }),
  );
  const stillListed =
    claims.length > 0 ? await ownersStillListing(target, claims, storedHouseholds) : () => false;

  // A claim of this import is never stale: its household is being written by another chunk.
  const claimedHere = (hash: string) =>
    importId !== undefined && parseClaimTag(stored(registryKeys.person(hash))?.claim)?.importId === importId;
  const writable: Item[] = [];
  const groups: HouseholdWrite[] = [];
  const contested: AcceptedLine<unknown>[] = [];
  const rejected: ChunkResult['rejected'] = [];
  const deferred: AcceptedLine<unknown>[] = [];
  const removed: { householdId: string; cnicHash: string }[] = [];
  for (const { accepted, items } of prepared) {
    const id = accepted.value.householdId;
    const [household] = items;
    if (!household) continue;
    const people = personItems(household, flagsOf);
    const clash = people.findIndex((person) => {
      const cnicHash = String(person.cnicHash);
      const owner = ownerOf(cnicHash);
      return (
        owner !== undefined && owner !== id && (claimedHere(cnicHash) || stillListed({ owner, cnicHash }))
      );
    });
    if (clash >= 0 && claimedHere(String(people[clash]?.cnicHash))) {
      contested.push(accepted);
      continue;
    }
    if (clash >= 0 && !pass.last) {
      deferred.push(accepted);
      continue;
    }
    if (clash >= 0) {
      const message = `members.${clash}.cnic is already indexed to household ${ownerOf(String(people[clash]?.cnicHash))} in the registry`;
      const rejection: Rejection = { reason: 'DUPLICATE_MEMBER', message, path: ['members', clash, 'cnic'] };
      rejected.push({ line: accepted.line, raw: accepted.raw, rejection });
      continue;
    }
    for (const cnicHash of removedMembers(storedHouseholds.get(id), household))
      removed.push({ householdId: id, cnicHash });
    const changed = people.filter(
      (person) => !sameValue(stored(registryKeys.person(String(person.cnicHash))), person),
    );
    writable.push(household, ...changed);
    groups.push({
      accepted,
      household,
      // Claimed people carry their claim, so with claims every one is written (claimed) again.
      people: importId !== undefined ? people : changed,
      ownerBefore: new Map(people.map((p) => [String(p.cnicHash), ownerOf(String(p.cnicHash))])),
    });
  }
  return { writable, groups, contested, rejected, deferred, removed };
}

/** Deep equality of DynamoDB document values (maps, lists, sets, scalars). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Set && b instanceof Set) return a.size === b.size && [...a].every((v) => b.has(v));
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Set || b instanceof Set || Array.isArray(a) || Array.isArray(b)) return false;
  const names = Object.keys(a);
  return (
    names.length === Object.keys(b).length &&
    names.every((name) => sameValue((a as Item)[name], (b as Item)[name]))
  );
}

/** Identity records: one per CNIC in a file; a later import of the same CNIC replaces it. */
export function identityKind(target: ImportTarget): ImportKind<IdentityImport> {
  const seen = new NumberSet(1 << 20);
  return {
    validate: validateIdentityLine,
    remember: (identity) =>
      seen.add(Number(identity.cnic))
        ? undefined
        : { reason: 'DUPLICATE_RECORD', message: 'this CNIC has an identity record earlier in this file' },
    weight: () => 1,
    async write(chunk) {
      await batchPutAll(
        target.doc,
        target.table,
        chunk.map((a) => identityItem(target.pepper, a.value)),
      );
      return { imported: chunk.length, rejected: [] };
    },
  };
}

/** Exclusion flags: one line per CNIC and filter in a file; flags accumulate across imports. */
export function exclusionsKind(target: ImportTarget): ImportKind<ExclusionImport> {
  const seen = new NumberSet(1 << 16);
  return {
    validate: validateExclusionLine,
    remember: (flag) =>
      seen.add(Number(flag.cnic) * 8 + (FILTER_INDEX.get(flag.filter) ?? 0))
        ? undefined
        : { reason: 'DUPLICATE_RECORD', message: `this CNIC is flagged ${flag.filter} earlier in this file` },
    weight: () => 1,
    async write(chunk) {
      await writeExclusions(
        target.doc,
        target.table,
        target.pepper,
        chunk.map((a) => a.value),
      );
      return { imported: chunk.length, rejected: [] };
    },
  };
}
