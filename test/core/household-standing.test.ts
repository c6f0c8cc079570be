import {
  type DecisionOfRecord,
  type Enrollment,
  enrollmentKey,
  flushReplies,
  hashCnic,
  latestOf,
  type OutboundSms,
  parseRegistration,
  prepareBatch,
  type ReconcileDeps,
  type RegistrationMessage,
  type RegistrationRecord,
  type RegistryMatch,
  readHouseholdStanding,
  reconcileOne,
  renderReply,
  standingReplyInput,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import { memoryReferences } from '../support/reference-fakes.js';
import { unitCampaign } from '../support/unit-campaign.js';

const PEPPER = 'unit-pepper-0123456789';
const NOW = new Date('2026-08-20T10:00:00Z');
const campaign = unitCampaign();
const HEAD = '4230112345674';
const SPOUSE = '4230112345682';
const NEWCOMER = '4230199999991';
const PHONE = '+923001234567';
const OTHER_PHONE = '+923009999999';

type PaidEnrollment = Enrollment & {
  paymentState?: string;
  paymentAttempt?: number;
  failureConfirmedBy?: string;
};

/** A household of two in the Dadu registry (its two phones), a newcomer nobody knows, and the reconciler's ports. */
function world(options: { programmes?: string[] } = {}) {
  const head = hashCnic(PEPPER, HEAD);
  const spouse = hashCnic(PEPPER, SPOUSE);
  const registrations = new Map<string, RegistrationRecord>();
  const enrollments = new Map<string, PaidEnrollment>();
  const records = new Map<string, DecisionOfRecord>();
  const references = memoryReferences();
  const sent: OutboundSms[] = [];
  const household = {
    householdId: 'HH-1',
    province: 'Sindh',
    district: 'Dadu',
    tehsil: 'Dadu',
    pmtScore: 12,
    programmes: options.programmes ?? [],
    members: [
      { cnicHash: head, relation: 'head', gender: 'female' as const, exclusions: [] },
      { cnicHash: spouse, relation: 'spouse', gender: 'male' as const, exclusions: [] },
    ],
    phones: [PHONE, OTHER_PHONE],
    status: 'active' as const,
  };
  const matchOf = (h: string): RegistryMatch => {
    const known = h === head || h === spouse;
    return {
      exclusions: [],
      ...(known
        ? {
            person: { cnicHash: h, householdId: 'HH-1', relation: h === head ? 'head' : 'spouse' },
            identity: { cnicHash: h, status: 'ALIVE' as const, simPhones: [] },
            household,
          }
        : {}),
      decisionsOfRecord: [...records.values()].filter((d) => d.cnicHash === h),
    };
  };
  const deps: ReconcileDeps = {
    pepper: PEPPER,
    references,
    clock: { now: () => NOW },
    registry: {
      resolve: async (hashes) => new Map(hashes.map((h) => [h, matchOf(h)])),
      addProvisional: async () => undefined,
    },
    campaigns: { inForce: async () => [campaign] },
    phones: { tally: async () => ({ hours: {}, cnics: [] }) },
    decisions: {
      put: async (d) => {
        const key = `${d.cnicHash}|${d.campaignId}`;
        if (records.get(key)?.decision.status !== 'ELIGIBLE') records.set(key, d);
      },
      latest: async (h) => latestOf([...records.values()].filter((d) => d.cnicHash === h)),
    },
    replies: { enqueue: async (r) => void sent.push(...r) },
    appeals: {
      open: async (a) => a,
      get: async () => undefined,
      list: async () => [],
      claim: async () => false,
      complete: async () => undefined,
    },
    enrollments: {
      find: async (pairs) =>
        new Map(
          pairs.flatMap((p) => {
            const e = enrollments.get(enrollmentKey(p.campaignId, p.householdId));
            return e ? [[enrollmentKey(p.campaignId, p.householdId), e] as const] : [];
          }),
        ),
      enroll: async (e) => {
        const existing = enrollments.get(enrollmentKey(e.campaignId, e.householdId));
        if (existing) return { created: false, existing };
        enrollments.set(enrollmentKey(e.campaignId, e.householdId), e);
        return { created: true };
      },
    },
    registrations: {
      record: async (r) => {
        const existing = registrations.get(r.messageId);
        if (existing) return { fresh: false, existing };
        registrations.set(r.messageId, r);
        return { fresh: true };
      },
    },
  };
  async function deliver(message: RegistrationMessage): Promise<OutboundSms | undefined> {
    const item = parseRegistration(PEPPER, message);
    const ctx = await prepareBatch(deps, [item]);
    await reconcileOne(deps, item, ctx);
    const before = sent.length;
    await flushReplies(deps, ctx);
    return sent.slice(before).find((r) => r.inReplyTo === message.messageId);
  }
  return {
    deps,
    head,
    enrollments,
    references,
    registrations,
    sms: (messageId: string, text: string, from = PHONE) =>
      deliver({ channel: 'sms', messageId, from, to: '8171', text, acceptedAt: NOW.toISOString() }),
    web: (reference: string, cnic: string, phone = PHONE) =>
      deliver({
        channel: 'web',
        messageId: `web-${reference}`,
        reference,
        cnic,
        phone,
        district: 'Dadu',
        tehsil: 'Dadu',
        lang: 'en',
        acceptedAt: NOW.toISOString(),
      }),
    standing: (cnicHash: string) => readHouseholdStanding(deps, cnicHash),
  };
}

/** The household's vertical-expansion top-up, as activation makes it, at a payment state. */
function topUp(payment: Partial<PaidEnrollment> = {}): PaidEnrollment {
  return {
    campaignId: campaign.campaignId,
    householdId: 'HH-1',
    messageId: `vertical:${campaign.campaignId}:HH-1`,
    reference: 'TV7K2M9Q',
    cnicHash: 'payee',
    category: 'TOP_UP',
    amount: 6000,
    district: 'Dadu',
    tehsil: 'Dadu',
    ruleSetVersion: campaign.ruleSetVersion,
    channel: 'vertical',
    enrolledAt: '2026-08-02T00:00:00Z',
    ...payment,
  };
}

describe('Finding 2: STATUS from a registry household that has not registered', () => {
  it('answers NOT_REGISTERED with how to register, never "not in the survey"', async () => {
    const w = world();

    const reply = await w.sms('s1', `STATUS ${HEAD}`);

    const standing = await w.standing(w.head);
    expect(standing).toMatchObject({ status: 'NOT_REGISTERED', campaignId: campaign.campaignId });
    expect(standing.reference).toBeUndefined();
    expect(reply?.text).toBe(renderReply(standingReplyInput(standing, 'en')));
    expect(reply?.text).not.toMatch(/not in (the national survey|our records)|NSER/i);
  });
});

describe('Finding 4: one reference per household per campaign', () => {
  it('answers every message of the household, from any of its phones, with its first reference', async () => {
    const w = world();
    const first = await w.sms('m1', HEAD);
    const reference = w.registrations.get('m1')?.reference ?? 'missing';

    const again = await w.sms('m2', HEAD);
    const otherPhone = await w.sms('m3', `REG ${HEAD}`, OTHER_PHONE);
    const spouse = await w.sms('m4', SPOUSE, OTHER_PHONE);
    const status = await w.sms('m5', `STATUS ${SPOUSE}`, OTHER_PHONE);

    for (const reply of [first, again, otherPhone, spouse, status]) expect(reply?.text).toContain(reference);
    expect(new Set([...w.registrations.values()].map((r) => r.reference))).toEqual(new Set([reference]));
  });

  it('gives a web registration of a household registered by SMS the same reference, and indexes the SMS one', async () => {
    const w = world();
    await w.sms('m1', HEAD);
    const reference = w.registrations.get('m1')?.reference ?? 'missing';

    const web = await w.web('W7K2M9QX', SPOUSE);

    expect(web?.text).toContain(reference);
    expect(web?.text).not.toContain('W7K2M9QX');
    // The index leads to a member of the household, whose standing carries the same reference.
    const entry = await w.references.get(reference);
    expect(entry?.campaignId).toBe(campaign.campaignId);
    expect((await w.standing(entry?.cnicHash ?? 'missing')).reference).toBe(reference);
  });

  it("never makes a stranger's reference the household's, nor indexes one a stranger was told", async () => {
    const w = world();

    await w.sms('x1', HEAD, '+923339876543');
    const stranger = w.registrations.get('x1')?.reference ?? 'missing';
    const own = await w.sms('m1', `STATUS ${HEAD}`);

    expect(own?.text).not.toContain(stranger);
    expect(await w.references.get(stranger)).toBeUndefined();
  });
});

describe('Findings 5 and 6: a topped-up household learns its top-up and where its payment is', () => {
  it('answers STATUS with the top-up amount and the reference the top-up was told, not "already enrolled"', async () => {
    const w = world({ programmes: ['KAFAALAT'] });
    w.enrollments.set(enrollmentKey(campaign.campaignId, 'HH-1'), topUp({ paymentState: 'paid' }));

    const reply = await w.sms('s1', `STATUS ${HEAD}`);

    const standing = await w.standing(w.head);
    expect(standing).toMatchObject({
      status: 'ELIGIBLE',
      topUp: true,
      amount: 6000,
      payment: 'PAID',
      reference: 'TV7K2M9Q',
    });
    expect(reply?.text).toBe(renderReply(standingReplyInput(standing, 'en')));
    expect(reply?.text).toContain('6,000');
    expect(reply?.text).not.toMatch(/already/i);
  });

  it('answers a topped-up household that registers with its top-up too, under the top-up reference', async () => {
    const w = world({ programmes: ['KAFAALAT'] });
    w.enrollments.set(enrollmentKey(campaign.campaignId, 'HH-1'), topUp({ paymentState: 'batched' }));

    const reply = await w.sms('m1', HEAD);

    expect(w.registrations.get('m1')?.decision?.status).toBe('DUPLICATE');
    // A bare CNIC is answered in Roman Urdu (the reply policy): the same input, in the reply's language.
    expect(reply?.text).toBe(renderReply(standingReplyInput(await w.standing(w.head), reply?.lang ?? 'en')));
    expect(reply?.text).toContain('TV7K2M9Q');
    expect(reply?.text).toContain('6,000');
    expect(await w.references.get('TV7K2M9Q')).toMatchObject({ cnicHash: w.head });
  });

  it.each([
    [{ paymentState: 'batched' }, 'IN_BATCH'],
    [{ paymentState: 'approved' }, 'APPROVED'],
    [{ paymentState: 'sent' }, 'SENT'],
    [{ paymentState: 'paid' }, 'PAID'],
    [{ paymentState: 'failed' }, 'FAILED'],
    [{ paymentState: 'failed', failureConfirmedBy: 'officer-omar' }, 'RETRYING'],
    [{ paymentState: 'batched', paymentAttempt: 2 }, 'RETRYING'],
  ] as const)(
    'reads %o from the payment line as %s, in STATUS exactly as on the web',
    async (line, stage) => {
      const w = world({ programmes: ['KAFAALAT'] });
      w.enrollments.set(enrollmentKey(campaign.campaignId, 'HH-1'), topUp(line));

      const reply = await w.sms('s1', `STATUS ${HEAD}`);

      const standing = await w.standing(w.head);
      expect(standing.payment).toBe(stage);
      expect(reply?.text).toBe(renderReply({ ...standingReplyInput(standing, 'en'), payment: stage }));
    },
  );

  it('tells a waitlisted household it waits, with no amount and no payment', async () => {
    const w = world({ programmes: ['KAFAALAT'] });
    w.enrollments.set(enrollmentKey(campaign.campaignId, 'HH-1'), topUp({ capState: 'waitlisted' }));

    expect(await w.standing(w.head)).toEqual({
      status: 'WAITLISTED',
      reasons: ['CAP_REACHED'],
      reference: 'TV7K2M9Q',
      campaignId: campaign.campaignId,
      campaignName: campaign.name,
      campaignNameUr: campaign.nameUr,
      topUp: true,
      decidedAt: '2026-08-02T00:00:00Z',
    });
  });
});

describe('Finding 10: after a web registration', () => {
  it('answers SMS STATUS with the web reference and never sends the household back to the web form', async () => {
    const w = world();
    await w.web('W7K2M9QX', NEWCOMER);

    const reply = await w.sms('s1', `STATUS ${NEWCOMER}`);

    expect(reply?.text).toContain('W7K2M9QX');
    expect(reply?.text).not.toMatch(/web form/i);
  });

  it('answers a second web registration with the decision under the original reference', async () => {
    const w = world();
    await w.web('W7K2M9QX', HEAD);

    const again = await w.web('W3JD8PRT', HEAD);

    expect(again?.text).toContain('W7K2M9QX');
    expect(w.registrations.get('web-W3JD8PRT')?.reference).toBe('W7K2M9QX');
    expect(w.registrations.get('web-W3JD8PRT')?.decision?.status).toBe('DUPLICATE');
  });
});
