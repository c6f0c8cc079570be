import type * as z from 'zod';
import type { Campaign } from '../campaigns/campaign.js';
import { ValidationError } from '../errors.js';
import { choosePayee } from './choose-payee.js';
import { mapBounded, WRITE_CONCURRENCY } from './map-bounded.js';
import type { CreateBatchRequestSchema, HeldHousehold } from './model.js';
import type { PayableEnrollment, PayeeCandidate, PaymentServiceDeps } from './ports.js';

function districtsOf(campaign: Campaign, district: string | undefined): string[] {
  const declared = [...new Map(campaign.areas.map((a) => [a.district.toUpperCase(), a.district])).values()];
  if (!district) return declared;
  const match = declared.find((d) => d.toUpperCase() === district.toUpperCase());
  if (!match) throw new ValidationError(`District ${district} is not in campaign ${campaign.campaignId}`);
  return [match];
}

/** How long a held household stays out of batches before a batch re-checks its payee. */
export const HOLD_RECHECK_MS = 24 * 3600_000;

/** Reads of candidates while held households are set aside, so they never crowd out payable ones. */
const MAX_ROUNDS = 5;

/**
 * Up to `maxLines` enrollments whose payee may be paid, with that payee. A household without a valid
 * payee is held on its enrollment (until {@link HOLD_RECHECK_MS} from now) and more candidates are
 * read in its place, so a batch is filled with payable households however many are held. `exhausted`:
 * for one district, its index had no candidate left unseen (a batch of them leaves nothing to claim).
 */
export async function gatherPayable(
  deps: PaymentServiceDeps,
  campaign: Campaign,
  request: z.output<typeof CreateBatchRequestSchema>,
  now: string,
) {
  const chosen: { enrollment: PayableEnrollment; payee: PayeeCandidate }[] = [];
  const held: HeldHousehold[] = [];
  const seen = new Set<string>();
  // One district whose index answered fewer than asked: every candidate of it has been seen.
  let exhausted = false;
  const until = new Date(Date.parse(now) + HOLD_RECHECK_MS).toISOString();
  for (let round = 0; round < MAX_ROUNDS && chosen.length < request.maxLines; round++) {
    const found: PayableEnrollment[] = [];
    for (const district of districtsOf(campaign, request.district)) {
      const limit = request.maxLines - found.length;
      if (limit <= 0) break;
      const page = await deps.enrollments.unbatched({
        campaignId: campaign.campaignId,
        district,
        limit,
        now,
        ...(request.category ? { category: request.category } : {}),
      });
      if (request.district && page.length < limit) exhausted = true;
      found.push(...page.filter((e) => e.paymentState !== 'paid'));
    }
    const fresh = found.filter((e) => !seen.has(e.householdId)).slice(0, request.maxLines - chosen.length);
    if (fresh.length === 0) break;
    for (const e of fresh) seen.add(e.householdId);
    const members = await deps.payees.members(fresh.map((e) => e.householdId));
    const heldNow: HeldHousehold[] = [];
    for (const enrollment of fresh) {
      const choice = choosePayee(members.get(enrollment.householdId));
      if ('held' in choice) heldNow.push({ householdId: enrollment.householdId, ...choice.held });
      else chosen.push({ enrollment, payee: choice.payee });
    }
    await mapBounded(heldNow, WRITE_CONCURRENCY, (h) =>
      deps.enrollments.hold(campaign.campaignId, h.householdId, { reason: h.reason, at: now, until }),
    );
    held.push(...heldNow);
    // Every candidate was in this read: another would find none.
    if (exhausted) break;
  }
  return { chosen, held, exhausted };
}
