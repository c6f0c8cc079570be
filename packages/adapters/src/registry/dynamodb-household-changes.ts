import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { HouseholdChangeWriter, HouseholdState, MutableHousehold, PersonDirectory } from '@madad/core';
import * as z from 'zod';
import { registryKeys } from '../keys.js';
import { batchGetAll } from '../runtime/dynamodb-batch.js';
import { filtersOf, personItems, personSnapshotUpdate } from './household-record.js';

type Item = Record<string, unknown>;

/** The fields of a household item a change reads; members keep every other field they have. */
const MutableHouseholdSchema = z.object({
  district: z.string(),
  tehsil: z.string(),
  phones: z.array(z.string()).default([]),
  members: z.array(
    z.looseObject({
      cnic: z.string(),
      cnicMasked: z.string(),
      cnicHash: z.string(),
      relation: z.string(),
      gender: z.string(),
    }),
  ),
});

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

function appliedOf(item: Item): string[] {
  const value = item.appliedChanges;
  if (value instanceof Set) return [...value].map(String);
  return Array.isArray(value) ? value.map(String) : [];
}

/**
 * The registry writes of an approved change request. The household item carries a `revision` (absent
 * on imported items: 0) and the set `appliedChanges` of request ids written into it, so a write is
 * a compare-and-set that a re-run of the same request never repeats.
 */
export class DynamoDbHouseholdChanges implements HouseholdChangeWriter, PersonDirectory {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private async item(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
    );
    return Item;
  }

  async read(householdId: string): Promise<HouseholdState | undefined> {
    const item = await this.item(registryKeys.household(householdId));
    if (!item) return undefined;
    return {
      household: MutableHouseholdSchema.parse(item),
      revision: typeof item.revision === 'number' ? item.revision : 0,
      applied: appliedOf(item),
    };
  }

  async write(householdId: string, updated: MutableHousehold, requestId: string, revision: number) {
    const household = await this.item(registryKeys.household(householdId));
    if (!household || (typeof household.revision === 'number' ? household.revision : 0) !== revision)
      return false;
    const moved = updated.district !== household.district || updated.tehsil !== household.tehsil;
    const score = Number(household.pmtScore);
    const item: Item = {
      ...household,
      district: updated.district,
      tehsil: updated.tehsil,
      phones: updated.phones,
      members: updated.members,
      ...(moved && household.status !== 'provisional'
        ? {
            gsi1pk: registryKeys.districtIndex(updated.district),
            gsi1sk: registryKeys.scoreSortKey(score, householdId),
          }
        : {}),
      revision: revision + 1,
      appliedChanges: new Set([...appliedOf(household), requestId]),
      updatedBy: `change-request:${requestId}`,
    };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: `${revision === 0 ? 'attribute_not_exists(revision)' : 'revision = :rev'} AND NOT contains(appliedChanges, :rid)`,
          ExpressionAttributeValues: { ...(revision === 0 ? {} : { ':rev': revision }), ':rid': requestId },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async indexMember(householdId: string, cnicHash: string, updated: MutableHousehold) {
    const household = await this.item(registryKeys.household(householdId));
    const person = personItems({ ...household, ...updated, householdId }, () => []).find(
      (p) => p.cnicHash === cnicHash,
    );
    if (!person) throw new Error('The new member is not in the changed household');
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: person,
          ConditionExpression: 'attribute_not_exists(pk) OR householdId = :hh',
          ExpressionAttributeValues: { ':hh': householdId },
        }),
      );
      return { ok: true as const };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { ok: false as const, owner: String((await this.householdOf(cnicHash)) ?? '') };
    }
  }

  async unindexMember(householdId: string, cnicHash: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: registryKeys.person(cnicHash),
          ConditionExpression: 'householdId = :hh',
          ExpressionAttributeValues: { ':hh': householdId },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /**
   * Rewrites the decision view in every member's PERSON item from the household item, with the
   * members' flags read afresh; flag sets only grow, so a concurrent exclusion import is not undone.
   */
  async refreshViews(householdId: string): Promise<void> {
    const household = await this.item(registryKeys.household(householdId));
    if (!household) return;
    const members = (household.members as Item[]).map((m) => String(m.cnicHash));
    const flags = new Map(
      (await batchGetAll(this.doc, this.table, members.map(registryKeys.exclusions))).map((item) => [
        String(item.cnicHash),
        filtersOf(item),
      ]),
    );
    await Promise.all(
      personItems(household, (hash) => flags.get(hash) ?? []).map((person) =>
        this.doc.send(new UpdateCommand(personSnapshotUpdate(this.table, person))),
      ),
    );
  }

  async identity(cnicHash: string): ReturnType<PersonDirectory['identity']> {
    const item = await this.item(registryKeys.identity(cnicHash));
    if (!item) return undefined;
    const gender = item.gender === 'male' || item.gender === 'female' ? item.gender : undefined;
    return {
      status: item.status as 'ALIVE' | 'DECEASED' | 'BLOCKED',
      ...(gender ? { gender } : {}),
      ...(typeof item.birthYear === 'number' ? { birthYear: item.birthYear } : {}),
    };
  }

  async householdOf(cnicHash: string): Promise<string | undefined> {
    const item = await this.item(registryKeys.person(cnicHash));
    return item ? String(item.householdId) : undefined;
  }
}
