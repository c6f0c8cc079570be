import type {
  Campaign,
  DecisionOfRecord,
  HouseholdVerification,
  OutboundSms,
  VerifiableHousehold,
  VerificationDeps,
  VerificationStore,
} from '@madad/core';
import { memoryAuditLog } from './audit-fakes.js';
import { memoryEnrollmentStore } from './cap-fakes.js';
import { unitCampaign } from './unit-campaign.js';

export const PROVISIONAL_ID = 'P-0123456789ABCDEF';
export const HEAD_HASH = 'a'.repeat(40);
export const HOUSEHOLD_PHONE = '+923337654321';

type StoredHousehold = Omit<VerifiableHousehold, 'verification' | 'status'> & {
  verification?: HouseholdVerification;
  status: 'active' | 'provisional';
  province: string;
  district: string;
  tehsil: string;
  viewsRefreshed: number;
};

/** A household item with the verification store's conditional writes (each step synchronous, as one UpdateItem). */
export class MemoryVerificationStore implements VerificationStore {
  readonly items = new Map<string, StoredHousehold>();

  async read(householdId: string) {
    const item = this.items.get(householdId);
    return item ? structuredClone(item) : undefined;
  }

  async claim(
    householdId: string,
    from: 'NONE' | 'PROPOSED',
    next: HouseholdVerification,
    proposedAt?: string,
  ) {
    const item = this.items.get(householdId);
    if (!item) return false;
    const ok =
      from === 'NONE'
        ? !item.verification && item.status === 'provisional'
        : item.verification?.status === 'PROPOSED' && item.verification.proposedAt === proposedAt;
    if (ok) item.verification = structuredClone(next);
    return ok;
  }

  async release(householdId: string, proposedAt: string) {
    const item = this.items.get(householdId);
    if (item?.verification?.status !== 'PROPOSED' || item.verification.proposedAt !== proposedAt)
      return false;
    item.verification = undefined;
    return true;
  }

  async complete(
    householdId: string,
    area: { province: string; district: string; tehsil: string },
    result: NonNullable<HouseholdVerification['result']>,
  ) {
    const item = this.items.get(householdId);
    const verification = item?.verification;
    if (!item || verification?.status !== 'COMPLETING') return false;
    Object.assign(item, area, { status: 'active' });
    item.verification = { ...verification, status: 'DONE', result };
    return true;
  }

  async refreshViews(householdId: string) {
    const item = this.items.get(householdId);
    if (item) item.viewsRefreshed = 1;
  }
}

/** A provisional household from a web registration (reference W1234567), with every port it is verified through. */
export function verificationWorld(options: { campaign?: Campaign; maxHouseholds?: number } = {}) {
  const campaign: Campaign = {
    ...(options.campaign ?? unitCampaign()),
    ...(options.maxHouseholds ? { maxHouseholds: options.maxHouseholds } : {}),
  };
  let now = new Date('2026-08-10T09:00:00Z');
  const verifications = new MemoryVerificationStore();
  verifications.items.set(PROVISIONAL_ID, {
    householdId: PROVISIONAL_ID,
    status: 'provisional',
    phones: [HOUSEHOLD_PHONE],
    pmtScore: 100,
    members: [{ cnicHash: HEAD_HASH, cnic: '37405-7654321-8' }],
    province: '',
    district: '',
    tehsil: '',
    viewsRefreshed: 0,
  });
  const records = new Map<string, DecisionOfRecord>();
  records.set(`${HEAD_HASH}|-`, {
    campaignId: '-',
    cnicHash: HEAD_HASH,
    messageId: 'web-W1234567',
    reference: 'W1234567',
    from: HOUSEHOLD_PHONE,
    channel: 'web',
    lang: 'en',
    decision: {
      status: 'PENDING_VERIFICATION',
      reasons: ['NOT_IN_REGISTRY'],
      ruleSetVersion: 'baseline-1',
      inputs: { inRegistry: false },
      decidedAt: '2026-08-09T08:00:00Z',
    },
  });
  const sent: OutboundSms[] = [];
  const counted: { campaignId: string; counters: Record<string, number> }[] = [];
  const audit = memoryAuditLog(() => now);
  const enrollments = memoryEnrollmentStore();
  const deps: VerificationDeps = {
    verifications,
    campaigns: {
      list: async () => [campaign],
      get: async (id) => (id === campaign.campaignId ? campaign : undefined),
    },
    decisions: {
      put: async (record) => {
        records.set(`${record.cnicHash}|${record.campaignId}`, structuredClone(record));
      },
      latest: async (cnicHash) =>
        [...records.values()]
          .filter((r) => r.cnicHash === cnicHash)
          .sort((a, b) => b.decision.decidedAt.localeCompare(a.decision.decidedAt))[0],
    },
    enrollments,
    replies: {
      enqueue: async (replies) => {
        // The aggregator refuses a reply id it has taken already: a re-run sends nothing twice.
        for (const r of replies) if (!sent.some((s) => s.id === r.id)) sent.push(r);
      },
    },
    audit: audit.log,
    stats: {
      add: async (campaignId, counters) => {
        counted.push({ campaignId, counters: { ...counters } });
      },
    },
    clock: { now: () => now },
  };
  return {
    deps,
    campaign,
    verifications,
    records,
    sent,
    counted,
    audit,
    enrollments,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
    /** What a run leaves behind, for comparing a crashed-and-resumed run with an uncrashed one. */
    snapshot: () => ({
      household: verifications.items.get(PROVISIONAL_ID),
      records: [...records.values()].sort((a, b) => a.campaignId.localeCompare(b.campaignId)),
      sent,
      counted,
      ledger: audit.entries.map(({ action, actor, subject, after, actionId }) => ({
        action,
        actor,
        subject,
        after,
        actionId,
      })),
      enrollments: [...enrollments.claims.items.values()],
    }),
  };
}
