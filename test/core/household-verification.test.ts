import {
  builtInAreaRecords,
  ConflictError,
  confirmVerification,
  crashOnceAt,
  declineVerification,
  ForbiddenError,
  Gazetteer,
  InjectedCrashError,
  recordVerification,
  setCrashHook,
  ValidationError,
  type VerificationInput,
} from '@madad/core';
import { afterEach, describe, expect, it } from 'vitest';
import { unitCampaign } from '../support/unit-campaign.js';
import {
  HEAD_HASH,
  HOUSEHOLD_PHONE,
  PROVISIONAL_ID,
  verificationWorld,
} from '../support/verification-fakes.js';

const OFFICER = { user: 'olivia', role: 'program-officer' };
const CHECKER = { user: 'farhan', role: 'program-officer' };

const eligible: VerificationInput = {
  householdId: PROVISIONAL_ID,
  province: 'sindh',
  district: 'dadu',
  tehsil: 'JOHI',
  method: 'DOCUMENT_SEEN',
  note: 'CNIC and a flood damage slip seen at the Johi desk',
  outcome: 'ELIGIBLE',
};

afterEach(() => setCrashHook(undefined));

describe('recordVerification and confirmVerification', () => {
  it('proposes an eligible finding without deciding anything until a second officer confirms it', async () => {
    const world = verificationWorld();

    const proposed = await recordVerification(world.deps, OFFICER, eligible);

    expect(proposed).toMatchObject({ status: 'PROPOSED', amount: 12000, campaignId: 'C-UNIT' });
    // The gazetteer's spelling, whatever the officer typed.
    expect(proposed.area).toEqual({ province: 'Sindh', district: 'Dadu', tehsil: 'Johi' });
    expect(world.sent).toEqual([]);
    expect(world.enrollments.claims.items.size).toBe(0);
    expect(world.audit.entries.map((e) => e.actionId)).toEqual([
      `household.verify/${PROVISIONAL_ID}/propose`,
    ]);
  });

  it('enrolls the household for the campaign amount once another officer confirms, and tells it by SMS', async () => {
    const world = verificationWorld();
    await recordVerification(world.deps, OFFICER, eligible);
    world.advance(60_000);

    const done = await confirmVerification(world.deps, CHECKER, PROVISIONAL_ID);

    expect(done.result).toMatchObject({ status: 'ELIGIBLE', reference: 'W1234567' });
    const [enrollment] = world.enrollments.claims.items.values();
    expect(enrollment).toMatchObject({ householdId: PROVISIONAL_ID, amount: 12000, district: 'Dadu' });
    const decision = world.records.get(`${HEAD_HASH}|C-UNIT`)?.decision;
    expect(decision).toMatchObject({
      status: 'ELIGIBLE',
      amount: 12000,
      ruleSetVersion: 'C-UNIT/v1',
      inputs: { verifiedBy: 'olivia', confirmedBy: 'farhan', verification: 'DOCUMENT_SEEN' },
    });
    expect(world.sent).toHaveLength(1);
    expect(world.sent[0]).toMatchObject({ to: HOUSEHOLD_PHONE, reference: 'W1234567' });
    expect(world.sent[0]?.text).toContain('W1234567');
    expect(world.sent[0]?.text).toContain('12,000');
    const household = world.verifications.items.get(PROVISIONAL_ID);
    expect(household).toMatchObject({
      status: 'active',
      district: 'Dadu',
      tehsil: 'Johi',
      viewsRefreshed: 1,
    });
    expect(world.audit.entries.at(-1)).toMatchObject({ action: 'household.verify', actor: 'farhan' });
    // The campaign's figures: out of pending verification, into enrolled with its amount.
    expect(world.counted).toEqual([
      {
        campaignId: 'C-UNIT',
        counters: {
          'status:PENDING_VERIFICATION': -1,
          'status:ELIGIBLE': 1,
          'district:Dadu:ELIGIBLE': 1,
          'tehsil:Dadu/Johi:ELIGIBLE': 1,
          'category:NEW_BENEFICIARY': 1,
          committedAmount: 12000,
          'district:Dadu:amount': 12000,
        },
      },
    ]);
  });

  it.each(['olivia', 'OLIVIA', ' Olivia', 'ｏｌｉｖｉａ'])(
    'refuses the proposer confirming their own finding, even written as %j (maker-checker)',
    async (sameUser) => {
      const world = verificationWorld();
      await recordVerification(world.deps, OFFICER, eligible);

      await expect(
        confirmVerification(world.deps, { user: sameUser, role: 'program-officer' }, PROVISIONAL_ID),
      ).rejects.toBeInstanceOf(ForbiddenError);
      expect(world.enrollments.claims.items.size).toBe(0);
      expect(world.sent).toEqual([]);
    },
  );

  it('lets one officer reject a household with a reason, telling it it is not eligible, with nothing enrolled', async () => {
    const world = verificationWorld();

    const done = await recordVerification(world.deps, OFFICER, {
      ...eligible,
      outcome: 'REJECTED',
      reason: 'The CNIC shown belongs to someone else',
    });

    expect(done).toMatchObject({ status: 'DONE', result: { status: 'NOT_ELIGIBLE' } });
    expect(world.enrollments.claims.items.size).toBe(0);
    expect(world.records.get(`${HEAD_HASH}|C-UNIT`)?.decision.inputs.rejected).toBe(
      'The CNIC shown belongs to someone else',
    );
    expect(world.sent).toHaveLength(1);
  });

  it('decides not eligible under the rule the officer names, refusing a rule the campaign does not have', async () => {
    const world = verificationWorld();
    const notEligible = {
      ...eligible,
      outcome: 'NOT_ELIGIBLE' as const,
      reason: 'Owns a car, seen at the visit',
    };

    await expect(
      recordVerification(world.deps, OFFICER, { ...notEligible, reasonCode: 'EXCLUSION_VEHICLE_OWNER' }),
    ).rejects.toBeInstanceOf(ValidationError);
    const done = await recordVerification(world.deps, OFFICER, {
      ...notEligible,
      reasonCode: 'SCORE_ABOVE_THRESHOLD',
    });

    expect(done.result?.status).toBe('NOT_ELIGIBLE');
    expect(world.records.get(`${HEAD_HASH}|C-UNIT`)?.decision.reasons).toEqual(['SCORE_ABOVE_THRESHOLD']);
  });

  it('refuses an area that is not in the gazetteer and an eligible finding where no campaign is open', async () => {
    const world = verificationWorld();

    await expect(
      recordVerification(world.deps, OFFICER, { ...eligible, tehsil: 'Atlantis' }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      recordVerification(world.deps, OFFICER, {
        ...eligible,
        province: 'Punjab',
        district: 'Lahore',
        tehsil: 'Model Town',
      }),
    ).rejects.toThrow(/No open campaign/);
    expect(world.verifications.items.get(PROVISIONAL_ID)?.verification).toBeUndefined();
  });

  it('places the household in a district an areas import added, read through the gazetteer port', async () => {
    // Arrange: Dadu as an areas file may rename it (tehsil Johi spelled Johi Taluka) and the campaign over it
    const world = verificationWorld({
      campaign: { ...unitCampaign(), areas: [{ district: 'Dadu', tehsils: ['Johi Taluka'] }] },
    });
    const records = builtInAreaRecords().filter((r) => r.district !== 'Dadu');
    const dadu = ['Dadu', 'Johi Taluka', 'Mehar'].map((tehsil) => ({
      province: 'Sindh',
      district: 'Dadu',
      tehsil,
      cnicCode: 4,
    }));
    const gazetteer = Gazetteer.fromRecords([...records, ...dadu]);
    const deps = { ...world.deps, gazetteer: { current: async () => gazetteer } };

    // Act
    const old = recordVerification(deps, OFFICER, eligible);
    const proposed = await recordVerification(deps, OFFICER, { ...eligible, tehsil: 'johi taluka' });

    // Assert
    await expect(old).rejects.toThrow(/unknown tehsil "JOHI" in district Dadu; did you mean Johi Taluka/);
    expect(proposed.area).toMatchObject({ district: 'Dadu', tehsil: 'Johi Taluka' });
  });

  it('waitlists the household when the campaign has no room left', async () => {
    const world = verificationWorld({ maxHouseholds: 1 });
    await world.enrollments.enroll(
      {
        campaignId: 'C-UNIT',
        householdId: 'HH-FIRST',
        messageId: 'm-first',
        reference: 'REF00001',
        cnicHash: 'b'.repeat(40),
        category: 'NEW_BENEFICIARY',
        amount: 12000,
        district: 'Dadu',
        tehsil: 'Johi',
        ruleSetVersion: 'C-UNIT/v1',
        channel: 'sms',
        enrolledAt: '2026-08-09T00:00:00Z',
      },
      world.campaign,
    );
    await recordVerification(world.deps, OFFICER, eligible);

    const done = await confirmVerification(world.deps, CHECKER, PROVISIONAL_ID);

    expect(done.result?.status).toBe('WAITLISTED');
    expect(world.records.get(`${HEAD_HASH}|C-UNIT`)?.decision).toMatchObject({
      status: 'WAITLISTED',
      reasons: ['CAP_REACHED'],
    });
  });
});

describe('declineVerification', () => {
  it('lets a second officer decline an eligible finding with a reason: nothing decided or sent, and it can be verified again', async () => {
    const world = verificationWorld();
    await recordVerification(world.deps, OFFICER, eligible);

    await declineVerification(world.deps, CHECKER, {
      householdId: PROVISIONAL_ID,
      reason: 'The damage slip is for another village',
    });

    expect(world.verifications.items.get(PROVISIONAL_ID)?.verification).toBeUndefined();
    expect(world.sent).toEqual([]);
    expect(world.enrollments.claims.items.size).toBe(0);
    expect(world.audit.entries.at(-1)).toMatchObject({
      actor: 'farhan',
      after: { verification: 'DECLINED' },
    });
    const again = await recordVerification(world.deps, CHECKER, {
      ...eligible,
      outcome: 'REJECTED',
      reason: 'Not found at the address',
    });
    expect(again.result?.status).toBe('NOT_ELIGIBLE');
  });

  it('gives one outcome when one officer confirms and another declines at the same moment', async () => {
    for (let round = 0; round < 20; round++) {
      const world = verificationWorld();
      await recordVerification(world.deps, OFFICER, eligible);
      const results = await Promise.allSettled([
        confirmVerification(world.deps, CHECKER, PROVISIONAL_ID),
        declineVerification(
          world.deps,
          { user: 'zainab', role: 'program-officer' },
          {
            householdId: PROVISIONAL_ID,
            reason: 'Documents do not match the CNIC',
          },
        ),
      ]);

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const confirmed = results[0].status === 'fulfilled';
      expect(world.enrollments.claims.items.size).toBe(confirmed ? 1 : 0);
      expect(world.sent).toHaveLength(confirmed ? 1 : 0);
    }
  });
});

describe('two officers at once', () => {
  it('give one outcome when they verify the same household differently at the same moment', async () => {
    for (let round = 0; round < 20; round++) {
      const world = verificationWorld();
      const results = await Promise.allSettled([
        recordVerification(world.deps, OFFICER, eligible),
        recordVerification(world.deps, CHECKER, {
          ...eligible,
          outcome: 'REJECTED',
          reason: 'Not found at the address',
        }),
      ]);

      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected');
      expect(lost?.status === 'rejected' && lost.reason).toBeInstanceOf(ConflictError);
      const outcome = world.verifications.items.get(PROVISIONAL_ID)?.verification?.outcome;
      expect(world.sent.length).toBe(outcome === 'REJECTED' ? 1 : 0);
    }
  });

  it('enroll and notify once when two checkers confirm the same proposal at once', async () => {
    for (let round = 0; round < 20; round++) {
      const world = verificationWorld();
      await recordVerification(world.deps, OFFICER, eligible);
      const results = await Promise.allSettled([
        confirmVerification(world.deps, CHECKER, PROVISIONAL_ID),
        confirmVerification(world.deps, { user: 'zainab', role: 'program-officer' }, PROVISIONAL_ID),
      ]);

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(world.enrollments.claims.items.size).toBe(1);
      expect(world.sent).toHaveLength(1);
      expect(
        world.audit.entries.filter((e) => e.actionId === `household.verify/${PROVISIONAL_ID}`),
      ).toHaveLength(1);
    }
  });
});

const CRASH_POINTS = [
  'verify.after-claim',
  'enroll.after-reserve',
  'verify.after-enroll',
  'verify.after-decision',
  'verify.after-audit',
  'verify.after-notice',
  'verify.after-complete',
];

describe('a crash while confirming', () => {
  it.each(CRASH_POINTS)(
    'converges on the uncrashed state when the checker re-runs after a crash at %s',
    async (point) => {
      const clean = verificationWorld();
      await recordVerification(clean.deps, OFFICER, eligible);
      await confirmVerification(clean.deps, CHECKER, PROVISIONAL_ID);

      const crashed = verificationWorld();
      await recordVerification(crashed.deps, OFFICER, eligible);
      setCrashHook(crashOnceAt(point));
      await expect(confirmVerification(crashed.deps, CHECKER, PROVISIONAL_ID)).rejects.toBeInstanceOf(
        InjectedCrashError,
      );
      setCrashHook(undefined);
      await confirmVerification(crashed.deps, CHECKER, PROVISIONAL_ID);

      expect(crashed.snapshot()).toEqual(clean.snapshot());
    },
  );

  it('is finished by another officer once the claim is stale, who is told what it was', async () => {
    const world = verificationWorld();
    await recordVerification(world.deps, OFFICER, eligible);
    setCrashHook(crashOnceAt('verify.after-decision'));
    await expect(confirmVerification(world.deps, CHECKER, PROVISIONAL_ID)).rejects.toBeInstanceOf(
      InjectedCrashError,
    );
    setCrashHook(undefined);

    await expect(
      confirmVerification(world.deps, { user: 'zainab', role: 'program-officer' }, PROVISIONAL_ID),
    ).rejects.toThrow(/being verified/);
    world.advance(5 * 60_000);
    await expect(
      confirmVerification(world.deps, { user: 'zainab', role: 'program-officer' }, PROVISIONAL_ID),
    ).rejects.toThrow(/verified as ELIGIBLE by farhan/);

    expect(world.verifications.items.get(PROVISIONAL_ID)?.verification?.status).toBe('DONE');
    expect(world.sent).toHaveLength(1);
  });
});
