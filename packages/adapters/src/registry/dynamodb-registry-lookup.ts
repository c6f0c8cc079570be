import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type {
  DecisionOfRecord,
  HouseholdRecord,
  IdentityRecord,
  MemberSimLookup,
  PersonMatch,
  ProvisionalHousehold,
  RegistryLookup,
  RegistryMatch,
} from '@madad/core';
import { registryKeys } from '../keys.js';
import { batchGetAll, mapConcurrently } from '../runtime/dynamodb-batch.js';
import { filtersOf, householdFromSnapshot, toHousehold } from './household-record.js';
import { provisionalItems } from './registry-items.js';

type Item = Record<string, unknown>;

/** Queries in flight at once for one batch: enough to hide latency, few enough to spare the table. */
const QUERY_CONCURRENCY = 25;

/** The items of one person's partition `CNIC#<hash>`, by kind. */
interface Partition {
  readonly person?: Item;
  readonly identity?: Item;
  readonly exclusions?: Item;
  readonly decisions: Item[];
}

/**
 * Resolves CNIC hashes through the decision view: one eventually consistent Query per CNIC reads
 * its partition (the PERSON item with the household snapshot, IDENTITY, EXCLUSIONS and the
 * decisions of record), a few hundred bytes to a couple of KB, so half a read unit. PERSON items
 * written before the view have no snapshot: their households are read the old way (one BatchGet
 * round for the household items and the other members' EXCLUSIONS items).
 */
export class DynamoDbRegistryLookup implements RegistryLookup, MemberSimLookup {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * The SIMs the ID authority records for these people: one BatchGet of their IDENTITY items, made
   * only for a message whose phone the applicant's own partition did not tie to the household.
   */
  async simPhonesOf(cnicHashes: readonly string[]): Promise<Map<string, readonly string[]>> {
    const unique = [...new Set(cnicHashes)];
    const items = await batchGetAll(this.doc, this.table, unique.map(registryKeys.identity));
    return new Map(
      items.map((item) => [String(item.cnicHash), toIdentity(String(item.cnicHash), item).simPhones]),
    );
  }

  async resolve(
    cnicHashes: readonly string[],
    options: { readonly decisionsIn?: readonly string[] } = {},
  ): Promise<Map<string, RegistryMatch>> {
    const unique = [...new Set(cnicHashes)];
    const partitions = options.decisionsIn
      ? await this.readByKeys(unique, options.decisionsIn)
      : new Map(
          (await mapConcurrently(unique, QUERY_CONCURRENCY, (hash) => this.readPartition(hash))).map(
            (partition, i) => [unique[i] as string, partition],
          ),
        );
    // Flags read in this request, fresher than any copy: the applicants' own EXCLUSIONS items.
    const flagsRead = (hash: string) => {
      const partition = partitions.get(hash);
      return partition ? filtersOf(partition.exclusions) : [];
    };
    const legacy = await this.readLegacyHouseholds(
      [...partitions.values()].flatMap((p) => (p.person && !p.person.hh ? [p.person] : [])),
      partitions,
    );

    const result = new Map<string, RegistryMatch>();
    for (const [hash, { person, identity, exclusions, decisions }] of partitions) {
      const household = person
        ? (householdFromSnapshot(person, flagsRead) ?? legacy.get(String(person.householdId)))
        : undefined;
      result.set(hash, {
        exclusions: filtersOf(exclusions),
        ...(person ? { person: toPerson(hash, person) } : {}),
        ...(identity ? { identity: toIdentity(hash, identity) } : {}),
        ...(household ? { household } : {}),
        ...(decisions.length > 0 ? { decisionsOfRecord: decisions.map(toDecisionOfRecord) } : {}),
      });
    }
    return result;
  }

  async addProvisional(input: ProvisionalHousehold): Promise<void> {
    const put = async (item: Item) => {
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: item,
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        // Already there: a repeat, or the person was imported meanwhile; both are fine as they are.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    };
    const [household, person] = provisionalItems(input);
    await put(household);
    await put(person);
  }

  private async readPartition(cnicHash: string): Promise<Partition> {
    const items: Item[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': registryKeys.person(cnicHash).pk },
      },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
    return partitionOf(items);
  }

  /**
   * The same items by key for many people at once (BatchGetItem, 100 keys a request): PERSON,
   * IDENTITY, EXCLUSIONS and the decisions of record under `campaignIds` only.
   */
  private async readByKeys(
    hashes: readonly string[],
    campaignIds: readonly string[],
  ): Promise<Map<string, Partition>> {
    const keys = hashes.flatMap((hash) => [
      registryKeys.person(hash),
      registryKeys.identity(hash),
      registryKeys.exclusions(hash),
      ...[...new Set(campaignIds)].map((campaignId) => registryKeys.decisionOfRecord(hash, campaignId)),
    ]);
    const byPartition = new Map(hashes.map((hash) => [registryKeys.person(hash).pk, [] as Item[]]));
    for (const item of await batchGetAll(this.doc, this.table, keys))
      byPartition.get(String(item.pk))?.push(item);
    return new Map(
      hashes.map((hash) => [hash, partitionOf(byPartition.get(registryKeys.person(hash).pk) ?? [])]),
    );
  }

  /** Households of PERSON items without a snapshot, with every member's flags, in one BatchGet round. */
  private async readLegacyHouseholds(
    people: readonly Item[],
    partitions: ReadonlyMap<string, Partition>,
  ): Promise<Map<string, HouseholdRecord>> {
    const found = new Map<string, HouseholdRecord>();
    if (people.length === 0) return found;
    const ids = [...new Set(people.map((p) => String(p.householdId)))];
    const households = await batchGetAll(this.doc, this.table, ids.map(registryKeys.household));
    const others = [
      ...new Set(households.flatMap((h) => (h.members as Item[]).map((m) => String(m.cnicHash)))),
    ].filter((hash) => !partitions.has(hash));
    const flags = new Map(partitions);
    for (const item of await batchGetAll(this.doc, this.table, others.map(registryKeys.exclusions)))
      flags.set(String(item.pk).slice('CNIC#'.length), { exclusions: item, decisions: [] });
    for (const household of households)
      found.set(
        String(household.householdId),
        toHousehold(household, (hash) => filtersOf(flags.get(hash)?.exclusions)),
      );
    return found;
  }
}

function partitionOf(items: readonly Item[]): Partition {
  const bySortKey = (sk: string) => items.find((item) => item.sk === sk);
  return {
    person: bySortKey('PERSON'),
    identity: bySortKey('IDENTITY'),
    exclusions: bySortKey('EXCLUSIONS'),
    decisions: items.filter((item) => String(item.sk).startsWith(registryKeys.decisionOfRecordPrefix)),
  };
}

function toPerson(cnicHash: string, item: Item): PersonMatch {
  return { cnicHash, householdId: String(item.householdId), relation: String(item.relation) };
}

function toIdentity(cnicHash: string, item: Item): IdentityRecord {
  return {
    cnicHash,
    status: item.status as IdentityRecord['status'],
    ...(item.gender ? { gender: item.gender as 'male' | 'female' } : {}),
    ...(typeof item.birthYear === 'number' ? { birthYear: item.birthYear } : {}),
    simPhones: Array.isArray(item.simPhones) ? item.simPhones.map(String) : [],
  };
}

/** A `DEC#<campaign>` item holds the DecisionOfRecord fields (and keys, type, history beside them). */
function toDecisionOfRecord(item: Item): DecisionOfRecord {
  return {
    campaignId: String(item.campaignId),
    cnicHash: String(item.cnicHash),
    messageId: String(item.messageId),
    reference: String(item.reference),
    from: String(item.from),
    channel: item.channel as DecisionOfRecord['channel'],
    lang: item.lang as DecisionOfRecord['lang'],
    decision: item.decision as DecisionOfRecord['decision'],
  };
}
