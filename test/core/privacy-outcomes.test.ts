import {
  type Appeal,
  type Campaign,
  capShardsFor,
  changeLimits,
  countSegments,
  type DecisionOfRecord,
  type Enrollment,
  enrollmentKey,
  flushReplies,
  hashCnic,
  latestOf,
  type OutboundSms,
  type ProvisionalHousehold,
  parseRegistration,
  prepareBatch,
  type ReconcileDeps,
  type RegistrationRecord,
  type RegistryMatch,
  reconcileOne,
  renderForwardedReply,
  replayRecords,
  ruleSetVersionOf,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import { memoryAuditLog } from '../support/audit-fakes.js';
import { memoryEnrollmentStore } from '../support/cap-fakes.js';
import { memoryReferences } from '../support/reference-fakes.js';
import { unitCampaign } from '../support/unit-campaign.js';

const PEPPER = 'unit-pepper-0123456789';
const CNIC = '4230112345674';
const SPOUSE = '4230112345675';
const NOW = new Date('2026-08-20T10:00:00Z');
const HOUSEHOLD_PHONE = '+923001234567';
const SPOUSE_SIM = '+923451112222';
const STRANGER = '+923339876543';

const campaign = unitCampaign(['VEHICLE_OWNER']);

/** A household of two in Dadu; its registry phone and the spouse's SIM are tied to it. */
function world(options: { phones?: string[]; exclusions?: string[] } = {}) {
  const hash = hashCnic(PEPPER, CNIC);
  const spouse = hashCnic(PEPPER, SPOUSE);
  const registrations = new Map<string, RegistrationRecord>();
  const enrollments = new Map<string, Enrollment>();
  const records = new Map<string, DecisionOfRecord>();
  const appeals: Appeal[] = [];
  const sent: OutboundSms[] = [];
  const simReads: string[][] = [];
  const match: RegistryMatch = {
    exclusions: [],
    person: { cnicHash: hash, householdId: 'HH-1', relation: 'head' },
    identity: { cnicHash: hash, status: 'ALIVE', simPhones: [] },
    household: {
      householdId: 'HH-1',
      province: 'Sindh',
      district: 'Dadu',
      tehsil: 'Dadu',
      pmtScore: 12,
      programmes: [],
      members: [
        { cnicHash: hash, relation: 'head', gender: 'female', exclusions: options.exclusions ?? [] },
        { cnicHash: spouse, relation: 'spouse', gender: 'male', exclusions: [] },
      ],
      phones: options.phones ?? [HOUSEHOLD_PHONE],
      status: 'active',
    },
  };
  const deps: ReconcileDeps = {
    pepper: PEPPER,
    references: memoryReferences(),
    clock: { now: () => NOW },
    registry: {
      resolve: async (hashes) =>
        new Map(
          hashes.map((h) => [
            h,
            h === hash
              ? { ...match, decisionsOfRecord: [...records.values()].filter((d) => d.cnicHash === h) }
              : { exclusions: [] },
          ]),
        ),
      addProvisional: async () => undefined,
    },
    members: {
      simPhonesOf: async (hashes) => {
        simReads.push([...hashes]);
        return new Map(hashes.map((h) => [h, h === spouse ? [SPOUSE_SIM] : []]));
      },
    },
    campaigns: { inForce: async () => [campaign] },
    phones: {
      tally: async () => ({ hours: {}, cnics: [] }),
    },
    decisions: {
      put: async (d) => void records.set(`${d.cnicHash}|${d.campaignId}`, d),
      latest: async (h) => latestOf([...records.values()].filter((d) => d.cnicHash === h)),
    },
    replies: { enqueue: async (r) => void sent.push(...r) },
    appeals: {
      open: async (a: Appeal) => {
        appeals.push(a);
        return a;
      },
      get: async () => undefined,
      list: async () => [],
      claim: async () => false,
      complete: async () => undefined,
    },
    enrollments: {
      find: async () => new Map(),
      enroll: async (e) => {
        const existing = enrollments.get(enrollmentKey(e.campaignId, e.householdId));
        if (existing) return { created: false, existing };
        enrollments.set(enrollmentKey(e.campaignId, e.householdId), e);
        return { created: true };
      },
    },
    registrations: {
      record: async (r) => {
        const key = `${r.from}|${r.messageId}`;
        const existing = registrations.get(key);
        if (existing) return { fresh: false, existing };
        registrations.set(key, r);
        return { fresh: true };
      },
    },
  };
  return { deps, registrations, enrollments, records, appeals, sent, simReads, hash };
}

async function send(w: ReturnType<typeof world>, from: string, messageId: string, text: string) {
  const item = parseRegistration(PEPPER, {
    channel: 'sms',
    messageId,
    from,
    to: '8171',
    text,
    acceptedAt: NOW.toISOString(),
  });
  const ctx = await prepareBatch(w.deps, [item]);
  await reconcileOne(w.deps, item, ctx);
  await flushReplies(w.deps, ctx);
}

const to = (w: ReturnType<typeof world>, phone: string) => w.sent.filter((r) => r.to === phone);

describe('Finding 1: outcomes only to the household', () => {
  it("answers a stranger's STATUS that it was received and sends the outcome to the household's phone", async () => {
    const w = world();
    await send(w, HOUSEHOLD_PHONE, 'm1', CNIC);
    w.sent.length = 0;

    await send(w, STRANGER, 's1', `STATUS ${CNIC}`);

    const [strangerReply] = to(w, STRANGER);
    expect(strangerReply?.text).toBe(renderForwardedReply('en', true));
    expect(strangerReply?.text).not.toMatch(/12,000|eligible|Ref /i);
    expect(to(w, HOUSEHOLD_PHONE).map((r) => r.text)).toEqual([expect.stringContaining('12,000')]);
  });

  it("tells a stranger who registers someone's CNIC no reasons and no reference; the household gets them", async () => {
    const w = world({ exclusions: ['VEHICLE_OWNER'] });

    await send(w, STRANGER, 's1', CNIC);

    const [strangerReply] = to(w, STRANGER);
    const reference = w.registrations.get(`${STRANGER}|s1`)?.reference ?? 'missing';
    // A bare CNIC is answered in Roman Urdu: "gari" is the vehicle, "eligible nahi" the refusal.
    expect(strangerReply?.text).not.toMatch(/gari|eligible nahi/i);
    expect(strangerReply?.text).not.toContain(reference);
    expect(to(w, HOUSEHOLD_PHONE)[0]?.text).toMatch(/gari/i);
  });

  it("never moves a household's notices to the phone of a stranger who registered its CNIC", async () => {
    const w = world();

    await send(w, STRANGER, 's1', CNIC);

    expect(w.records.get(`${w.hash}|C-UNIT`)?.from).toBe(HOUSEHOLD_PHONE);
    expect([...w.enrollments.values()][0]?.notify?.phone).toBe(HOUSEHOLD_PHONE);
    expect(w.registrations.get(`${STRANGER}|s1`)?.tied).toBeUndefined();
  });

  it("sends a stranger's appeal acknowledgement to the household and files the appeal under its phone", async () => {
    const w = world();
    await send(w, HOUSEHOLD_PHONE, 'm1', CNIC);
    w.sent.length = 0;

    await send(w, STRANGER, 's1', `APPEAL ${CNIC} wrong`);

    expect(w.appeals[0]?.phone).toBe(HOUSEHOLD_PHONE);
    expect(to(w, STRANGER)[0]?.text).toBe(renderForwardedReply('en', true));
    expect(to(w, HOUSEHOLD_PHONE)[0]?.text).toContain(w.appeals[0]?.appealId ?? 'missing');
  });

  it("answers a member's SIM known to the ID authority, reading members' SIMs only for untied phones", async () => {
    const w = world();

    await send(w, HOUSEHOLD_PHONE, 'm1', CNIC);
    expect(w.simReads).toEqual([]);
    await send(w, SPOUSE_SIM, 'm2', `STATUS ${CNIC}`);

    expect(to(w, SPOUSE_SIM)[0]?.text).toContain('12,000');
    expect(w.simReads).toHaveLength(1);
  });

  it('tells a stranger where to ask in person when the household has no tied phone, and sends nothing else', async () => {
    const w = world({ phones: [] });
    w.deps = { ...w.deps, members: { simPhonesOf: async (h) => new Map(h.map((x) => [x, []])) } };

    await send(w, STRANGER, 's1', CNIC);

    expect(w.sent).toHaveLength(1);
    expect(w.sent[0]?.text).toBe(renderForwardedReply('ur-Latn', false));
    expect(w.records.get(`${w.hash}|C-UNIT`)?.from).toBe('');
    expect([...w.enrollments.values()][0]?.notify).toBeUndefined();
  });

  it("queues the same two replies, with the same ids, when a stranger's message is redelivered", async () => {
    const w = world();
    await send(w, STRANGER, 's1', CNIC);
    const first = [...w.sent];

    await send(w, STRANGER, 's1', CNIC);

    expect(first).toHaveLength(2);
    expect(w.sent.slice(2)).toEqual(first);
  });

  it("quotes the household's one reference in a duplicate reply to a tied phone, and none to a stranger", async () => {
    // Issue 15, finding 4: one reference per household per campaign, told only to its own phones.
    const w = world({ phones: [HOUSEHOLD_PHONE, SPOUSE_SIM] });
    await send(w, HOUSEHOLD_PHONE, 'm1', CNIC);
    const firstReference = w.registrations.get(`${HOUSEHOLD_PHONE}|m1`)?.reference ?? 'missing';

    await send(w, SPOUSE_SIM, 'm2', `REG ${CNIC}`);
    await send(w, STRANGER, 'm3', `REG ${CNIC}`);

    expect(to(w, SPOUSE_SIM)[0]?.text).toMatch(/already/i);
    expect(to(w, SPOUSE_SIM)[0]?.text).toContain(firstReference);
    expect(to(w, STRANGER)[0]?.text).not.toContain(firstReference);
  });

  it('tells the household once an hour however many strangers ask about its CNIC', async () => {
    const w = world();
    await send(w, HOUSEHOLD_PHONE, 'm1', CNIC);
    w.sent.length = 0;

    for (let i = 1; i <= 5; i++) await send(w, `+92333000000${i}`, `ask-${i}`, `STATUS ${CNIC}`);

    const notices = to(w, HOUSEHOLD_PHONE);
    expect(new Set(notices.map((n) => n.id)).size).toBe(1);
    expect(w.sent.filter((r) => r.to !== HOUSEHOLD_PHONE)).toHaveLength(5);
  });

  it("gives a provisional household the person's own SIM, not the phone of the stranger who registered them", async () => {
    // A person the ID authority knows (SIM on record) but the registry does not: dynamic inclusion.
    const w = world();
    const newcomer = hashCnic(PEPPER, '4230155555551');
    const added: ProvisionalHousehold[] = [];
    w.deps = {
      ...w.deps,
      registry: {
        resolve: async (hashes) =>
          new Map(
            hashes.map((h) => [
              h,
              h === newcomer
                ? {
                    exclusions: [],
                    identity: { cnicHash: h, status: 'ALIVE' as const, simPhones: [SPOUSE_SIM] },
                  }
                : { exclusions: [] },
            ]),
          ),
        addProvisional: async (p) => void added.push(p),
      },
    };

    await send(w, STRANGER, 's1', '4230155555551');

    expect(added.map((p) => p.phone)).toEqual([SPOUSE_SIM]);
    expect(to(w, STRANGER)[0]?.text).toBe(renderForwardedReply('ur-Latn', true));
    expect(to(w, SPOUSE_SIM)).toHaveLength(1);
  });

  it('fits the forwarded replies in two SMS segments, in English, Roman Urdu and Urdu', () => {
    for (const lang of ['en', 'ur-Latn', 'ur'] as const)
      for (const hasPhone of [true, false])
        expect(countSegments(renderForwardedReply(lang, hasPhone)).segments).toBeLessThanOrEqual(2);
  });
});

describe('Finding 8: ids from (phone, messageId)', () => {
  it('answers two phones that send the same messageId, each with its own reply, reference and appeal', async () => {
    const w = world({ phones: [HOUSEHOLD_PHONE, SPOUSE_SIM] });
    await send(w, HOUSEHOLD_PHONE, 'm1', CNIC);
    w.sent.length = 0;

    await send(w, HOUSEHOLD_PHONE, 'same-id', `APPEAL ${CNIC} first`);
    await send(w, SPOUSE_SIM, 'same-id', `APPEAL ${CNIC} second`);

    expect(to(w, HOUSEHOLD_PHONE)).toHaveLength(1);
    expect(to(w, SPOUSE_SIM)).toHaveLength(1);
    expect(new Set(w.sent.map((r) => r.id)).size).toBe(2);
    expect(new Set(w.appeals.map((a) => a.appealId)).size).toBe(2);
    const references = [HOUSEHOLD_PHONE, SPOUSE_SIM].map(
      (p) => w.registrations.get(`${p}|same-id`)?.reference,
    );
    expect(new Set(references).size).toBe(2);
  });
});

describe('Finding 8: one household, two phones, one message id', () => {
  it('enrolls the household once and answers the second member a duplicate, the cap counting one', async () => {
    // Arrange: head and spouse registered at once from their own phones; the aggregator reused the id.
    const w = world({ phones: [HOUSEHOLD_PHONE, SPOUSE_SIM] });
    const store = memoryEnrollmentStore();
    const withCaps = { ...campaign, capShards: capShardsFor(campaign) } as Campaign;
    const spouse = hashCnic(PEPPER, SPOUSE);
    const resolve = w.deps.registry.resolve;
    w.deps = {
      ...w.deps,
      enrollments: store,
      campaigns: { inForce: async () => [withCaps] },
      registry: {
        ...w.deps.registry,
        resolve: async (hashes) => {
          const found = await resolve(hashes);
          const head = (await resolve([w.hash])).get(w.hash);
          if (hashes.includes(spouse) && head?.person)
            found.set(spouse, {
              ...head,
              person: { ...head.person, cnicHash: spouse, relation: 'spouse' },
              identity: { cnicHash: spouse, status: 'ALIVE', simPhones: [SPOUSE_SIM] },
              decisionsOfRecord: [],
            });
          return found;
        },
      },
    };
    const items = [
      [HOUSEHOLD_PHONE, CNIC],
      [SPOUSE_SIM, SPOUSE],
    ].map(([from, text]) =>
      parseRegistration(PEPPER, {
        channel: 'sms',
        messageId: 'same-id',
        from: from ?? '',
        to: '8171',
        text: text ?? '',
        acceptedAt: NOW.toISOString(),
      }),
    );

    // Act: one batch, both at once.
    const ctx = await prepareBatch(w.deps, items);
    await Promise.all(items.map((item) => reconcileOne(w.deps, item, ctx)));
    await flushReplies(w.deps, ctx);

    // Assert
    const statuses = [HOUSEHOLD_PHONE, SPOUSE_SIM].map(
      (p) => w.registrations.get(`${p}|same-id`)?.decision?.status,
    );
    expect(statuses.sort()).toEqual(['DUPLICATE', 'ELIGIBLE']);
    expect(store.claims.payable('C-UNIT')).toHaveLength(1);
    expect(store.caps.committed('C-UNIT').households).toBe(1);
  });
});

describe('Finding 1 and 8: rules replay notices', () => {
  /** Two refused households whose messages had one aggregator id; the second has no tied phone. */
  function refused(): DecisionOfRecord[] {
    return ['+923001234567', ''].map((from, i) => ({
      campaignId: 'C-UNIT',
      cnicHash: `h${i}`,
      messageId: 'same-id',
      reference: `R000000${i}`,
      from,
      channel: 'sms' as const,
      lang: 'en' as const,
      decision: {
        status: 'NOT_ELIGIBLE' as const,
        reasons: ['SCORE_ABOVE_THRESHOLD' as const],
        ruleSetVersion: ruleSetVersionOf('C-UNIT', 0),
        campaignId: 'C-UNIT',
        householdId: `HH-${i}`,
        inputs: { pmtScore: 20, district: 'Dadu', tehsil: 'Dadu', inRegularProgramme: false },
        decidedAt: '2026-08-01T10:00:00Z',
      },
    }));
  }

  it('notifies only a tied phone, never an empty one, with an id from the reference and message id', async () => {
    const notices: OutboundSms[] = [];
    const enrollments = memoryEnrollmentStore();

    const tally = await replayRecords(campaign, refused(), {
      decisions: { replaceDecision: async () => undefined },
      enrollments,
      replies: { enqueue: async (r) => void notices.push(...r) },
      now: () => NOW,
    });

    expect(tally.changes).toEqual({ 'NOT_ELIGIBLE->ELIGIBLE': 2 });
    expect(notices.map((n) => n.to)).toEqual(['+923001234567']);
    expect(notices[0]?.id).toContain('R0000000');
  });
});

describe('Finding 1: waitlist promotion of a household without a tied phone', () => {
  it('promotes its decision of record and tells no phone, not even the stranger who registered it', async () => {
    // Arrange: a maximum of one household; the household has no registry phone and no SIM on record.
    const capped = { ...campaign, maxHouseholds: 1, budgetCap: 1e9 } as Campaign;
    const current = { campaign: { ...capped, capShards: capShardsFor(capped) }, revision: 1 };
    const w = world({ phones: [] });
    const store = memoryEnrollmentStore();
    const other = hashCnic(PEPPER, '4230199999991');
    const resolve = w.deps.registry.resolve;
    w.deps = {
      ...w.deps,
      enrollments: store,
      campaigns: { inForce: async () => [current.campaign] },
      members: { simPhonesOf: async (h) => new Map(h.map((x) => [x, []])) },
      registry: {
        ...w.deps.registry,
        resolve: async (hashes) => {
          const found = await resolve(hashes);
          const match = (await resolve([w.hash])).get(w.hash);
          if (hashes.includes(other) && match?.household && match.person)
            found.set(other, {
              ...match,
              person: { ...match.person, cnicHash: other, householdId: 'HH-9' },
              identity: { cnicHash: other, status: 'ALIVE', simPhones: [HOUSEHOLD_PHONE] },
              household: { ...match.household, householdId: 'HH-9', phones: [HOUSEHOLD_PHONE] },
              decisionsOfRecord: [],
            });
          return found;
        },
      },
    };
    await send(w, HOUSEHOLD_PHONE, 'first', '4230199999991');
    await send(w, STRANGER, 's1', CNIC);
    expect(w.records.get(`${w.hash}|C-UNIT`)?.decision.status).toBe('WAITLISTED');
    w.sent.length = 0;
    const ledger = memoryAuditLog();

    // Act: the cap is raised to two.
    await changeLimits(
      {
        campaigns: {
          get: async () => ({ ...current.campaign, revision: current.revision }),
          save: async (c: Campaign) => {
            current.campaign = { ...c, capShards: c.capShards ?? current.campaign.capShards };
            current.revision++;
          },
        },
        caps: store.caps,
        claims: store.claims,
        decisions: w.deps.decisions,
        replies: w.deps.replies,
        audit: ledger.log,
        clock: { now: () => NOW },
      },
      'C-UNIT',
      { maxHouseholds: 2 },
      { user: 'cell-1', role: 'emergency-cell' },
    );

    // Assert
    expect(w.records.get(`${w.hash}|C-UNIT`)?.decision.status).toBe('ELIGIBLE');
    expect(w.records.get(`${w.hash}|C-UNIT`)?.from).toBe('');
    expect(w.sent).toEqual([]);
  });
});
