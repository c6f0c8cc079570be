import {
  approvePaymentBatch,
  type Campaign,
  confirmPaymentResults,
  createPaymentBatch,
  type PaymentResult,
  stagePaymentResults,
} from '@madad/core';
import { memoryPayments } from './payment-fakes.js';

export const MAKER = { user: 'maker-ayesha', role: 'program-officer' };
export const CHECKER = { user: 'checker-bilal', role: 'approver' };
export const AMOUNT = 13_500;

export function campaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    campaignId: 'C-FLOOD1',
    name: 'Sindh floods',
    nameUr: 'سندھ سیلاب',
    shockType: 'flood',
    areas: [{ district: 'Dadu' }, { district: 'Sanghar' }],
    opensAt: '2026-02-01T00:00:00Z',
    closesAt: '2026-04-01T00:00:00Z',
    rules: {
      pmtThreshold: 32,
      exclusionFilters: [],
      amounts: { topUp: AMOUNT, newBeneficiary: 25_000 },
      regularProgramme: 'KAFAALAT',
    },
    budgetCap: 1_000_000,
    maxHouseholds: 1000,
    notifyTopUps: false,
    limits: { cnicsPerPhone: 5, phonesPerCnic: 5 },
    status: 'active',
    ruleSetVersion: 'C-FLOOD1/v1',
    createdBy: 'cell',
    createdAt: '2026-02-01T00:00:00Z',
    ...overrides,
  };
}

/** A second program officer, who may confirm what the maker uploaded. */
export const OFFICER_TWO = { user: 'officer-omar', role: 'program-officer' };

/** A world with `n` enrolled households, each with a woman head (the payee) and a man. */
export function world(n: number, c: Campaign = campaign()) {
  const w = memoryPayments([c]);
  for (let i = 1; i <= n; i++) {
    const householdId = `HH-${String(i).padStart(4, '0')}`;
    w.enrollments.set(`${c.campaignId}|${householdId}`, {
      campaignId: c.campaignId,
      householdId,
      messageId: `vertical:${householdId}`,
      reference: `REF${i}`,
      cnicHash: `man-${i}`,
      category: 'TOP_UP',
      amount: AMOUNT,
      district: i % 2 ? 'Dadu' : 'Sanghar',
      tehsil: 'T',
      ruleSetVersion: 'C-FLOOD1/v1',
      channel: 'vertical',
      enrolledAt: '2026-02-02T00:00:00Z',
    });
    w.households.set(householdId, [
      {
        cnicHash: `man-${i}`,
        cnic: `41303-000000${i}-1`,
        cnicMasked: 'x',
        name: `Ali ${i}`,
        relation: 'head',
        gender: 'male',
        identityStatus: 'ALIVE',
      },
      {
        cnicHash: `woman-${i}`,
        cnic: `41303-100000${i}-2`,
        cnicMasked: 'y',
        name: `Zainab ${i}`,
        relation: 'spouse',
        gender: 'female',
        identityStatus: 'ALIVE',
      },
    ]);
  }
  return w;
}

/** A world with `n` households in one approved batch, its lines in household order. */
export async function approvedBatch(n: number, c?: Campaign) {
  const w = world(n, c);
  const { batch } = await createPaymentBatch(w.deps, { campaignId: 'C-FLOOD1' }, MAKER);
  await approvePaymentBatch(w.deps, batch.batchId, CHECKER);
  return { w, batchId: batch.batchId, lines: linesOf(w, batch.batchId) };
}

export function linesOf(w: ReturnType<typeof world>, batchId: string) {
  return [...(w.lines.get(batchId)?.values() ?? [])].sort((a, b) => (a.householdId < b.householdId ? -1 : 1));
}

/** The maker uploads the results, a second officer confirms them. */
export async function importResults(
  w: ReturnType<typeof world>,
  batchId: string,
  results: readonly PaymentResult[],
) {
  const staged = await stagePaymentResults(w.deps, batchId, results, MAKER);
  return confirmPaymentResults(w.deps, batchId, staged.importId, OFFICER_TWO);
}
