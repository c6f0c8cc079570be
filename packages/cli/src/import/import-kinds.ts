import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, batchPutAll, householdItems, identityItem, writeExclusions } from '@madad/adapters';
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
import { fingerprint, NumberSet } from './number-set.js';
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
}

/** How one kind of file is validated, de-duplicated and written. */
export interface ImportKind<T> {
  validate(raw: string): LineResult<T>;
  /** Remembers the line's unique keys; a rejection (and nothing remembered) when one came earlier. */
  remember(value: T): Rejection | undefined;
  /** Items the line writes, to size chunks. */
  weight(value: T): number;
  write(chunk: readonly AcceptedLine<T>[]): Promise<ChunkResult>;
}

export type ImportKindName = 'registry' | 'identity' | 'exclusions';

const FILTER_INDEX = new Map(ExclusionFilterSchema.options.map((f, i) => [f, i + 1]));

/**
 * Households: a CNIC may belong to one household only, in the file (remembered compactly) and, when
 * `checkRegistry` is on, in the registry too (a CNIC already indexed to the same household is fine,
 * so re-runs are idempotent).
 */
export function registryKind(
  target: ImportTarget,
  options: { checkRegistry: boolean },
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
    async write(chunk) {
      const prepared = chunk.map((accepted) => ({
        accepted,
        items: householdItems(target.pepper, accepted.value),
      }));
      const { writable, rejected } = options.checkRegistry
        ? await checkAgainstRegistry(target, prepared)
        : { writable: prepared.flatMap((p) => p.items), rejected: [] };
      await batchPutAll(target.doc, target.table, writable);
      return { imported: prepared.length - rejected.length, rejected };
    },
  };
}

type Item = Record<string, unknown>;

/**
 * Reads the person items of a chunk's members: a household whose member is indexed to another
 * household is rejected; person items already exactly as they would be written are left alone,
 * which makes re-running an import mostly reads.
 */
async function checkAgainstRegistry(
  target: ImportTarget,
  prepared: readonly { accepted: AcceptedLine<HouseholdImport>; items: Item[] }[],
): Promise<{ writable: Item[]; rejected: ChunkResult['rejected'] }> {
  // Person items follow the household item, in member order.
  const keys = prepared.flatMap((p) => p.items.slice(1).map((item) => ({ pk: item.pk, sk: item.sk })));
  const existing = new Map(
    (await batchGetAll(target.doc, target.table, keys)).map((item) => [String(item.pk), item]),
  );
  const writable: Item[] = [];
  const rejected: ChunkResult['rejected'] = [];
  for (const { accepted, items } of prepared) {
    const id = accepted.value.householdId;
    const [household, ...people] = items;
    if (!household) continue;
    const clash = people.findIndex((item) => {
      const owner = existing.get(String(item.pk))?.householdId;
      return owner !== undefined && owner !== id;
    });
    if (clash >= 0) {
      const owner = existing.get(String(people[clash]?.pk))?.householdId;
      const message = `members.${clash}.cnic is already indexed to household ${owner} in the registry`;
      const rejection: Rejection = { reason: 'DUPLICATE_MEMBER', message, path: ['members', clash, 'cnic'] };
      rejected.push({ line: accepted.line, raw: accepted.raw, rejection });
      continue;
    }
    writable.push(household, ...people.filter((item) => !sameItem(existing.get(String(item.pk)), item)));
  }
  return { writable, rejected };
}

/** Person items are flat, so comparing their attributes one by one is enough. */
function sameItem(stored: Item | undefined, next: Item): boolean {
  if (!stored) return false;
  const names = Object.keys(next);
  return names.length === Object.keys(stored).length && names.every((name) => stored[name] === next[name]);
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
