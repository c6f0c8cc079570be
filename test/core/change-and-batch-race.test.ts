import {
  approveChangeRequest,
  approvePaymentBatch,
  createPaymentBatch,
  fileChangeRequest,
  formatCnic,
  type HouseholdMemberItem,
  hashCnic,
  maskCnic,
  type PayeeCandidate,
  type PaymentServiceDeps,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import { FAKE_PEPPER, memoryChangeRequests } from '../support/change-request-fakes.js';
import { CHECKER, linesOf, MAKER, world } from '../support/payment-world.js';

/**
 * Issue 13, "a change approved and a batch made at once": one officer approves a change marking the
 * chosen payee deceased while another makes a batch and a checker approves it. Whatever the
 * interleaving, a death recorded before the checker's decision (the batch's move to `approving`)
 * never ends in an approved line paying her: she is passed over when the batch is made, or the
 * approval is refused and the batch stays pending. A death recorded after that decision does not
 * stop the money already approved (the bank's result settles that line).
 */
const WIFE = '3520211111112';
const HUSBAND = '3520211111111';
const hash = (cnic: string) => hashCnic(FAKE_PEPPER, cnic);
const member = (cnic: string, relation: string, gender: 'male' | 'female'): HouseholdMemberItem => ({
  cnic: formatCnic(cnic),
  cnicMasked: maskCnic(cnic),
  cnicHash: hash(cnic),
  name: relation === 'head' ? 'Ali' : 'Zainab',
  relation,
  gender,
});
const OMAR = { user: 'omar', role: 'program-officer' };
const OLIVIA = { user: 'olivia', role: 'program-officer' };
/** Lets the other flow run for a while, as a slower network would. */
const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** One registry seen by both flows: payments read the payees from what change approval writes. */
function sharedRegistry() {
  const registry = memoryChangeRequests();
  registry.addHousehold('HH-0001', [member(HUSBAND, 'head', 'male'), member(WIFE, 'spouse', 'female')]);
  for (const cnic of [HUSBAND, WIFE]) registry.identities.set(hash(cnic), { status: 'ALIVE' });
  const payments = world(1);
  // The order of the decisive steps: the household marked, payees read, the batch's transitions.
  const events: string[] = [];
  const payees: PaymentServiceDeps['payees'] = {
    members: async (ids) => {
      await ticks(1);
      events.push('payees read');
      return new Map(
        ids.flatMap((id) => {
          const stored = registry.households.get(id);
          if (!stored) return [];
          const candidates = stored.household.members.map(
            (m): PayeeCandidate => ({
              cnicHash: m.cnicHash,
              cnic: m.cnic,
              cnicMasked: m.cnicMasked,
              name: m.name ?? '',
              relation: m.relation,
              gender: m.gender === 'female' ? 'female' : 'male',
              ...(m.deceased ? { deceased: true } : {}),
              ...(registry.identities.has(m.cnicHash)
                ? { identityStatus: registry.identities.get(m.cnicHash)?.status }
                : {}),
            }),
          );
          return [[id, candidates]];
        }),
      );
    },
  };
  const write = registry.deps.households.write;
  registry.deps.households.write = async (...args) => {
    const written = await write(...args);
    if (written) events.push('death recorded');
    return written;
  };
  const batches: PaymentServiceDeps['batches'] = {
    ...payments.deps.batches,
    transition: async (batchId, from, to) => {
      await ticks(1); // the round trip of the conditional write
      const moved = await payments.deps.batches.transition(batchId, from, to);
      if (moved) events.push(`batch ${to.status}`);
      return moved;
    },
  };
  return { registry, payments, paymentDeps: { ...payments.deps, payees, batches }, events };
}

describe('a change approved and a batch made at once', () => {
  it('never approves a line paying a payee whose death was recorded before the checker decided (300 interleavings)', async () => {
    const outcomes = new Map<string, number>();
    const violations: string[] = [];

    for (let run = 0; run < 300; run++) {
      const { registry, payments, paymentDeps, events } = sharedRegistry();
      const filed = await fileChangeRequest(registry.deps, OMAR, {
        householdId: 'HH-0001',
        change: { type: 'member-deceased', cnic: WIFE },
      });
      const change = (async () => {
        await ticks(run % 25);
        await approveChangeRequest(registry.deps, OLIVIA, {
          householdId: 'HH-0001',
          requestId: filed.requestId,
          reason: 'Death certificate seen',
        });
      })();
      const batch = (async () => {
        await ticks(Math.floor(run / 25) % 12);
        const { batch } = await createPaymentBatch(paymentDeps, { campaignId: 'C-FLOOD1' }, MAKER);
        await ticks(run % 7);
        await approvePaymentBatch(paymentDeps, batch.batchId, CHECKER);
        return batch.batchId;
      })();
      const [changed, made] = await Promise.allSettled([change, batch]);

      const changeApproved = registry.requests.get(`HH-0001/${filed.requestId}`)?.status === 'APPROVED';
      const batchId = made.status === 'fulfilled' ? made.value : [...payments.batches.keys()][0];
      const status = batchId ? payments.batches.get(batchId)?.status : 'none';
      const payee = batchId ? linesOf(payments, batchId)[0]?.payeeCnicHash : undefined;
      const paysTheDeceased = status === 'approved' && payee === hash(WIFE);
      // The checker's decision is the move to `approving`: a death recorded before it must stop her line.
      const diedBeforeDecision =
        events.includes('death recorded') &&
        events.indexOf('death recorded') < events.indexOf('batch approving');
      if (changeApproved && paysTheDeceased && diedBeforeDecision)
        violations.push(`run ${run}: ${events.join(' > ')}`);
      const outcome = `change ${changed.status === 'fulfilled' ? 'approved' : 'refused'}, batch ${status} paying ${payee === hash(WIFE) ? 'wife' : 'husband'}`;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      expect(
        registry.households.get('HH-0001')?.household.members.find((m) => m.cnicHash === hash(WIFE))
          ?.deceased,
      ).toBe(changeApproved ? true : undefined);
    }

    expect(violations).toEqual([]);
    // The interleavings reached both sides of the race.
    expect([...outcomes.keys()]).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/batch approved paying husband/),
        expect.stringMatching(/batch pending paying wife/),
      ]),
    );
  });
});
