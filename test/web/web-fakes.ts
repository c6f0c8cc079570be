import { type FlaggedCase, issueStaffToken, type MinuteCount, verifyStaffToken } from '@madad/adapters';
import { type ApiDeps, createApp } from '@madad/api';
import type {
  ActivationWork,
  Appeal,
  Campaign,
  CampaignInput,
  DecisionOfRecord,
  Enrollment,
  HouseholdRecord,
  OutboundSms,
  ReferenceEntry,
  RegistrationMessage,
  RegistryMatch,
  StaffRole,
} from '@madad/core';
import { builtInGazetteer, type Gazetteer } from '@madad/core';
import { InMemoryRateLimiter, type RateRule } from '../../packages/api/src/web/rate-limit.js';
import { MemoryAppealStore } from '../support/appeal-fakes.js';
import { memoryAuditAnchors, TEST_AUDIT_KEY } from '../support/audit-fakes.js';
import { memoryBatchJobs } from '../support/batch-job-fakes.js';
import { MemoryCapLedger, MemoryEnrollmentClaims } from '../support/cap-fakes.js';
import { memoryPayments } from '../support/payment-fakes.js';
import { MemoryStaffSessions } from '../support/staff-session-fakes.js';

export const NOW = new Date('2026-03-01T10:00:00Z');
const JWT_SECRET = 'web-test-secret-web-test-secret-32';

export const FLOOD: CampaignInput = {
  name: 'Punjab floods 2026',
  nameUr: 'پنجاب سیلاب ۲۰۲۶',
  shockType: 'flood',
  areas: [{ district: 'Lahore' }],
  opensAt: '2026-02-01T00:00:00Z',
  closesAt: '2026-04-01T00:00:00Z',
  rules: {
    pmtThreshold: 32,
    exclusionFilters: [],
    amounts: { topUp: 10000, newBeneficiary: 12000 },
    regularProgramme: 'KAFAALAT',
  },
  budgetCap: 1_000_000,
  maxHouseholds: 100,
  notifyTopUps: false,
  limits: { cnicsPerPhone: 5, phonesPerCnic: 5 },
};

/**
 * In-memory ports for the web pages, driven through `createApp` like the Lambda handler. Ports the
 * web never touches throw when used, so a test cannot pass by accident through one of them.
 */
export function webFakes(
  options: {
    rules?: { ip: RateRule; phone: RateRule };
    consoleSignIn?: Partial<ApiDeps['consoleSignIn']>;
    /** Payment files in storage; absent: the stack keeps none (the console shows no storage buttons). */
    paymentFiles?: ApiDeps['paymentFiles'];
    /** Activation page records; absent: the progress route answers 404. */
    activationProgress?: ApiDeps['activationProgress'];
    /** The areas in force (an imported areas file); absent: the built-in gazetteer. */
    gazetteer?: Gazetteer;
  } = {},
) {
  const campaigns = new Map<string, Campaign & { revision: number }>();
  const campaignList: Campaign[] = [];
  const payments = memoryPayments(campaignList, NOW);
  const batchJobs = memoryBatchJobs();
  const queued: RegistrationMessage[] = [];
  const activations: ActivationWork[] = [];
  const registrations = new Map<string, Record<string, unknown>>();
  const latest = new Map<string, DecisionOfRecord>();
  /** Whose each SMS reference is (the reference index), and registry people by CNIC hash. */
  const references = new Map<string, ReferenceEntry>();
  const people = new Map<string, RegistryMatch>();
  /** Households' enrollments by `campaignId|householdId`, with their payment fields. */
  const enrollments = new Map<string, Enrollment & { paymentState?: string }>();
  const counters = new Map<string, Record<string, number>>();
  const publishedCounters = new Map<string, Record<string, number>>();
  const perMinute = new Map<string, MinuteCount[]>();
  const appeals = new Map<string, Appeal>();
  const provisional: Record<string, unknown>[] = [];
  const householdRecords = new Map<string, Record<string, unknown>>();
  const flagged: FlaggedCase[] = [];
  const replies: OutboundSms[] = [];
  const staffSessions = new MemoryStaffSessions();
  /** The registry as the area index pages it (impact previews): one page, every match. */
  const registryHouseholds: HouseholdRecord[] = [];

  const used: Partial<ApiDeps> = {
    clock: { now: () => NOW },
    cnicPepper: async () => 'pepper',
    enqueueRegistration: async (message) => {
      queued.push(message);
    },
    registrations: {
      get: async (messageId) => registrations.get(messageId),
      listByPhone: async () => [],
    },
    decisions: {
      latest: async (cnicHash) => latest.get(cnicHash),
      put: async (record) => {
        latest.set(record.cnicHash, record);
      },
    } as ApiDeps['decisions'],
    campaigns: {
      get: async (id) => campaigns.get(id),
      list: async () => [...campaigns.values()],
      save: async (campaign, expected) => {
        if ((campaigns.get(campaign.campaignId)?.revision ?? 0) !== expected) throw new Error('revision');
        campaigns.set(campaign.campaignId, { ...campaign, revision: expected + 1 });
        const at = campaignList.findIndex((c) => c.campaignId === campaign.campaignId);
        if (at >= 0) campaignList.splice(at, 1, campaign);
        else campaignList.push(campaign);
      },
      saveRuleSet: async () => undefined,
    },
    // The person's partition as the registry lookup reads it: the person and their decisions of record.
    standing: {
      registry: {
        resolve: async (hashes) =>
          new Map(
            hashes.map((h) => {
              const record = latest.get(h);
              const person = people.get(h) ?? { exclusions: [] };
              return [h, { ...person, ...(record ? { decisionsOfRecord: [record] } : {}) }];
            }),
          ),
      },
      references: { get: async (reference) => references.get(reference) },
      campaigns: { inForce: async () => [...campaignList] },
    },
    activationQueue: {
      enqueueAll: async (items) => {
        activations.push(...items);
      },
    },
    stats: {
      read: async (id) => counters.get(id) ?? {},
      // The hour's published figures: the hourly snapshot a test set, or else the live counters.
      readAsOfHour: async (id) => ({
        asOf: new Date(`${NOW.toISOString().slice(0, 13)}:00:00.000Z`),
        counters: publishedCounters.get(id) ?? counters.get(id) ?? {},
      }),
      add: async () => undefined,
    },
    enrollmentCaps: { caps: new MemoryCapLedger(), claims: new MemoryEnrollmentClaims() },
    areaIndex: {
      page: async (q) => ({
        households: registryHouseholds.filter(
          (h) =>
            h.district.toLowerCase() === q.district.toLowerCase() &&
            h.pmtScore <= q.maxScore &&
            (!q.programme || h.programmes.includes(q.programme)),
        ),
      }),
    },
    registrationRate: { readPerMinute: async (id) => perMinute.get(id) ?? [] },
    queueDepths: async () => ({
      registrations: { visible: 3, inFlight: 1, deadLetters: 2 },
      outbound: { visible: 0, inFlight: 0, deadLetters: 0 },
    }),
    payments: payments.deps,
    // No payment notices: they are tested in core (test/core/notifications) and on the embedded stack.
    paymentNotices: undefined,
    audit: payments.deps.audit,
    auditTrust: { key: async () => TEST_AUDIT_KEY, anchors: memoryAuditAnchors() },
    // The appeal store's conditions, over the `appeals` map the tests seed.
    appeals: new MemoryAppealStore(appeals),
    // Absent: the default policy (7 days, a second officer from PKR 10,000), as without the environment.
    appealPolicy: undefined,
    enrollments: {
      find: async (pairs) =>
        new Map(
          pairs.flatMap((p) => {
            const found = enrollments.get(`${p.campaignId}|${p.householdId}`);
            return found ? [[`${p.campaignId}|${p.householdId}`, found] as const] : [];
          }),
        ),
      enroll: async () => ({ created: true }),
    },
    replies: {
      enqueue: async (items) => {
        replies.push(...items);
      },
    },
    households: {
      listProvisional: async () => provisional,
      // Registry households by id (the appeals page shows the household an appeal is about).
      get: async (id: string) => householdRecords.get(id),
      householdIdOf: async () => undefined,
    } as unknown as ApiDeps['households'],
    flaggedCases: { list: async (status) => flagged.filter((f) => f.status === status) },
    verifyToken: (token) => verifyStaffToken(JWT_SECRET, token),
    // As on the test stack: pasted tokens accepted (most tests sign in so), sessions in memory.
    consoleSignIn: {
      sessions: staffSessions,
      transactions: staffSessions,
      acceptPastedTokens: true,
      ...options.consoleSignIn,
    },
    paymentFiles: options.paymentFiles,
    activationProgress: options.activationProgress,
    batchJobs: { store: batchJobs.store, queue: batchJobs.queue },
    // The areas in force: the built-in gazetteer, as on a stack where no areas file was imported.
    gazetteer: { current: async () => options.gazetteer ?? builtInGazetteer() },
    // Absent: the web's own default limiter, as in production.
    rateLimiter: options.rules ? new InMemoryRateLimiter(options.rules) : undefined,
  };
  // Only the ports above exist; reaching any other is a test bug worth a loud failure.
  const deps = new Proxy(used, {
    get(target, name) {
      if (name in target) return target[name as keyof ApiDeps];
      throw new Error(`The web tests do not fake ApiDeps.${String(name)}`);
    },
  }) as ApiDeps;
  const app = createApp(deps);

  return {
    app,
    deps,
    queued,
    activations,
    registrations,
    latest,
    references,
    people,
    enrollments,
    counters,
    publishedCounters,
    perMinute,
    appeals,
    provisional,
    householdRecords,
    flagged,
    replies,
    payments,
    /** Batch jobs recorded, and the work items sent to the batch queue. */
    batchJobs,
    staffSessions,
    registryHouseholds,
    /** A request from `ip`, as API Gateway reports the source address. */
    request(path: string, init: RequestInit = {}, ip = '203.0.113.7') {
      return app.request(path, init, { requestContext: { http: { sourceIp: ip } } });
    },
    form(path: string, fields: Record<string, string | string[]>, ip?: string, cookie?: string) {
      const body = new URLSearchParams();
      for (const [name, value] of Object.entries(fields)) {
        for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
      }
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (cookie) headers.cookie = cookie;
      return this.request(path, { method: 'POST', body, headers }, ip);
    },
    async cookieFor(user: string, roles: StaffRole[]): Promise<string> {
      return `madad_staff=${await issueStaffToken(JWT_SECRET, { user, roles })}`;
    },
    async addCampaign(
      status: Campaign['status'] = 'active',
      input: CampaignInput = FLOOD,
    ): Promise<Campaign> {
      const campaign: Campaign = {
        ...input,
        campaignId: `C-TEST${campaigns.size + 1}`,
        status,
        ruleSetVersion: `C-TEST${campaigns.size + 1}/v1`,
        createdBy: 'cell-1',
        createdAt: NOW.toISOString(),
      };
      await used.campaigns?.save(campaign, 0);
      return campaign;
    },
  };
}

export type WebFakes = ReturnType<typeof webFakes>;
