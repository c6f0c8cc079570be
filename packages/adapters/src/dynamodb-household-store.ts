import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  applyChange,
  type ChangeRequest,
  ConflictError,
  formatCnic,
  hashCnic,
  type MutableHousehold,
  maskCnic,
  NotFoundError,
  registryKeys,
} from '@madad/core';
import { batchGetAll } from './dynamodb-batch.js';
import { filtersOf, personItems, personSnapshotUpdate } from './household-record.js';

type Item = Record<string, unknown>;
const changesIndex = (status: string) => `CHANGES#${status}`;

/** Households for staff views, and change requests that staff approve into the registry. */
export class DynamoDbHouseholdStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly pepper: () => Promise<string>,
  ) {}

  async get(householdId: string): Promise<Item | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: registryKeys.household(householdId) }),
    );
    return result.Item;
  }

  async householdIdOf(cnicHash: string): Promise<string | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: registryKeys.person(cnicHash) }),
    );
    return result.Item ? String(result.Item.householdId) : undefined;
  }

  async listProvisional(limit: number): Promise<Item[]> {
    return this.queryIndex(registryKeys.provisionalIndex, limit);
  }

  async requestChange(request: ChangeRequest): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...registryKeys.changeRequest(request.householdId, request.requestId),
          type: 'CHANGE_REQUEST',
          ...request,
          gsi1pk: changesIndex(request.status),
          gsi1sk: `${request.requestedAt}#${request.requestId}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async listChanges(status: ChangeRequest['status'], limit: number): Promise<ChangeRequest[]> {
    return (await this.queryIndex(changesIndex(status), limit)) as unknown as ChangeRequest[];
  }

  /** Approving applies the change to the household; either way the decision is recorded with who and when. */
  async decideChange(
    householdId: string,
    requestId: string,
    decision: { approve: boolean; by: string; at: string; reason: string },
  ): Promise<ChangeRequest> {
    const key = registryKeys.changeRequest(householdId, requestId);
    const found = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
    );
    const request = found.Item as ChangeRequest | undefined;
    if (!request) throw new NotFoundError(`No change request ${requestId}`);
    if (request.status !== 'PENDING')
      throw new ConflictError(`Change request ${requestId} was already ${request.status}`);
    if (decision.approve) await this.apply(request);
    const status = decision.approve ? 'APPROVED' : 'REJECTED';
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'SET #s = :s, decidedBy = :by, decidedAt = :at, reason = :r, gsi1pk = :g',
          ConditionExpression: '#s = :pending',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':s': status,
            ':by': decision.by,
            ':at': decision.at,
            ':r': decision.reason,
            ':g': changesIndex(status),
            ':pending': 'PENDING',
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new ConflictError('Decided meanwhile by someone else');
      throw error;
    }
    return { ...request, status, decidedBy: decision.by, decidedAt: decision.at, reason: decision.reason };
  }

  private async apply(request: ChangeRequest): Promise<void> {
    const household = await this.get(request.householdId);
    if (!household) throw new NotFoundError(`No household ${request.householdId}`);
    const pepper = await this.pepper();
    const updated: MutableHousehold = applyChange(
      household as unknown as MutableHousehold,
      request.change,
      (cnic) => hashCnic(pepper, cnic),
      maskCnic,
      formatCnic,
    );
    const moved = updated.district !== household.district || updated.tehsil !== household.tehsil;
    const score = Number(household.pmtScore);
    const item: Item = {
      ...household,
      ...updated,
      ...(moved && household.status !== 'provisional'
        ? {
            gsi1pk: registryKeys.districtIndex(updated.district),
            gsi2pk: registryKeys.tehsilIndex(updated.district, updated.tehsil),
            gsi1sk: registryKeys.scoreSortKey(score, request.householdId),
            gsi2sk: registryKeys.scoreSortKey(score, request.householdId),
          }
        : {}),
      updatedAt: new Date().toISOString(),
      updatedBy: `change-request:${request.requestId}`,
    };
    await this.doc.send(new PutCommand({ TableName: this.table, Item: item }));
    await this.refreshViews(item);
  }

  /**
   * Rewrites the decision view in every member's PERSON item (a new member gets theirs), with the
   * members' flags read afresh; flag sets only grow, so a concurrent exclusion import is not undone.
   */
  private async refreshViews(household: Item): Promise<void> {
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

  private async queryIndex(partition: string, limit: number): Promise<Item[]> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byDistrict',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': partition },
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map(
      ({ pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...rest }) => rest,
    );
  }
}
