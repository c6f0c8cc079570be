/**
 * Key formats of every item, in one place, beside the adapters that read and write them (the core
 * knows no keys). CNICs never appear in keys: they are replaced by an HMAC of the normalized CNIC
 * under a secret pepper (`hashCnic`, DESIGN.md data rules).
 */
// A type alias, not an interface, so keys are assignable to the SDK's `Record<string, unknown>`.
export type ItemKey = { readonly pk: string; readonly sk: string };

export const registryKeys = {
  household: (householdId: string): ItemKey => ({ pk: `HH#${householdId}`, sk: 'HH' }),
  /** The CNIC index: one item per person, pointing at the household, with the person's exclusion flags. */
  person: (cnicHash: string): ItemKey => ({ pk: `CNIC#${cnicHash}`, sk: 'PERSON' }),
  /** The national ID authority's view of a CNIC, in the same partition so one BatchGet reads both. */
  identity: (cnicHash: string): ItemKey => ({ pk: `CNIC#${cnicHash}`, sk: 'IDENTITY' }),
  /**
   * Exclusion flags of a CNIC, apart from the household so that registry and exclusion imports can
   * run in any order and be re-run without undoing each other.
   */
  exclusions: (cnicHash: string): ItemKey => ({ pk: `CNIC#${cnicHash}`, sk: 'EXCLUSIONS' }),
  /**
   * A person's decision of record under a campaign, in the person's partition so that one Query
   * reads the decision view and the decisions together (`-` for decisions outside any campaign).
   */
  decisionOfRecord: (cnicHash: string, campaignId: string): ItemKey => ({
    pk: `CNIC#${cnicHash}`,
    sk: `DEC#${campaignId}`,
  }),
  decisionOfRecordPrefix: 'DEC#',
  /** A staff-reviewed change to a household (dynamic inclusion). */
  changeRequest: (householdId: string, requestId: string): ItemKey => ({
    pk: `HH#${householdId}`,
    sk: `CR#${requestId}`,
  }),
  districtIndex: (district: string) => `DISTRICT#${district.toUpperCase()}`,
  /** Provisional households waiting for staff review, on the byDistrict index. */
  provisionalIndex: 'PROVISIONAL',
  /** Sort key of the area indexes: zero-padded score first, so "score at or below T" is a range query. */
  scoreSortKey: (pmtScore: number, householdId: string) =>
    `${pmtScore.toFixed(2).padStart(6, '0')}#${householdId}`,
};

export const operationsKeys = {
  /**
   * One item per inbound message: the idempotency record of the message, its decision and its reply.
   * An SMS is recorded in its phone's partition, so the phone's hourly tally and the CNICs it sent
   * are one Query and a repeat costs this one write; the key is the phone and the message id only,
   * so an aggregator's retry of the same message finds it. A web registration (limited per phone at
   * the API, looked up by its reference) has a partition of its own.
   */
  registration: (message: {
    readonly messageId: string;
    readonly channel: 'sms' | 'web';
    readonly from: string;
  }): ItemKey =>
    message.channel === 'web'
      ? { pk: `MSG#${message.messageId}`, sk: 'REG' }
      : { pk: `PHONE#${message.from}`, sk: `MSG#${message.messageId}` },
  /** A web registration's record, by its message id (`web-<reference>`). */
  webRegistration: (messageId: string): ItemKey => ({ pk: `MSG#${messageId}`, sk: 'REG' }),
  /** The messages of a phone: `pk` of their records, and the sort-key prefix. */
  phoneMessages: (phone: string) => `PHONE#${phone}`,
  phoneMessagePrefix: 'MSG#',
  /** A phone's tally (messages per hour of receipt, CNICs registered), for exact flood and CNIC limits. */
  phoneTally: (phone: string): ItemKey => ({ pk: `PHONE#${phone}`, sk: 'TALLY' }),
  /** The phones that registered a CNIC in a campaign, each with its place (`phonesPerCnic`). */
  cnicPhones: (cnicHash: string, campaignId: string): ItemKey => ({
    pk: `CNIC#${cnicHash}`,
    sk: `PHONES#${campaignId}`,
  }),
  /** At most one enrollment per household per campaign: this key is the guarantee. */
  enrollment: (campaignId: string, householdId: string): ItemKey => ({
    pk: `ENR#${campaignId}#${householdId}`,
    sk: 'ENR',
  }),
  /** Enrollments of a campaign by district (the byCampaign index), for payment batches. */
  enrollmentsByDistrict: (campaignId: string, district: string) =>
    `ENR#${campaignId}#${district.toUpperCase()}`,
  /** All campaigns share one small partition; readers cache it, so it is never hot. */
  campaign: (campaignId: string): ItemKey => ({ pk: 'CAMPAIGN', sk: campaignId }),
  campaignPartition: 'CAMPAIGN',
  ruleSet: (campaignId: string, version: number): ItemKey => ({
    pk: `RULES#${campaignId}`,
    sk: `v${String(version).padStart(5, '0')}`,
  }),
  /**
   * Counters are spread over shards, each its own partition (a shard per sort key would share one
   * partition's write limit), and summed on read: no hot item or partition under surge.
   */
  statsShard: (campaignId: string, shard: number): ItemKey => ({
    pk: `STATS#${campaignId}#${String(shard).padStart(2, '0')}`,
    sk: 'SHARD',
  }),
  /** A payment batch's header; its lines live in the same partition, one item per payment reference. */
  paymentBatch: (batchId: string): ItemKey => ({ pk: `PAY#${batchId}`, sk: 'BATCH' }),
  paymentLine: (batchId: string, paymentReference: string): ItemKey => ({
    pk: `PAY#${batchId}`,
    sk: `LINE#${paymentReference}`,
  }),
  paymentBatchPartition: (batchId: string) => `PAY#${batchId}`,
  paymentLinePrefix: 'LINE#',
  /** Batches of a campaign on the byCampaign index (gsi2pk), newest last by `<createdAt>#<batchId>`. */
  paymentBatchesByCampaign: (campaignId: string) => `PAYBATCHES#${campaignId}`,
  /** Reserved and paid amounts of a campaign: the one item approvals update conditionally. */
  campaignBudget: (campaignId: string): ItemKey => ({ pk: `BUDGET#${campaignId}`, sk: 'BUDGET' }),
  /** The audit ledger: entries in seq order (staff actions only, so one partition is never hot). */
  auditEntry: (seq: number): ItemKey => ({ pk: 'AUDIT', sk: `SEQ#${String(seq).padStart(12, '0')}` }),
  auditHead: { pk: 'AUDIT', sk: 'HEAD' } as ItemKey,
  auditPartition: 'AUDIT',
  auditEntryPrefix: 'SEQ#',
  appeal: (appealId: string): ItemKey => ({ pk: `APPEAL#${appealId}`, sk: 'APPEAL' }),
  /** Appeals by status on the byCampaign index; appeals are rare, so one partition per status is fine. */
  appealsByStatus: (status: string) => `APPEALS#${status}`,
  /**
   * Flagged decisions taken outside any campaign (RATE_LIMITED, IDENTITY_MISMATCH) on the byCampaign
   * index, for the staff review queue; sharded because a surge of bad CNICs must not make a hot partition.
   */
  flaggedDecisions: (status: string, shard: number) => `FLAG#${status}#${String(shard).padStart(2, '0')}`,
  /**
   * Registrations per minute: one item per campaign, UTC hour and shard, one attribute per minute
   * (`m00`..`m59`), so no item is hot and none grows beyond 60 attributes.
   */
  registrationRate: (campaignId: string, hour: string, shard: number): ItemKey => ({
    pk: `RATE#${campaignId}`,
    sk: `H#${hour}#${String(shard).padStart(2, '0')}`,
  }),
  registrationRatePartition: (campaignId: string) => `RATE#${campaignId}`,
};
