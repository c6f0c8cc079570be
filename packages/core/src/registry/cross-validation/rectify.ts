import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { crashPoint } from '../../faults/crash-point.js';
import type { StaffActor } from '../../payments/model.js';
import type { MutableHousehold } from '../change-requests.js';
import { sameStaffUserId } from '../staff-user.js';
import type { Rectification, RectificationDeps, RectificationStatus } from './rectification-ports.js';

type Ids = { householdId: string; rectificationId: string };

/** Names one rectification in the ledger and in routes. */
export const rectificationSubject = (r: Pick<Rectification, 'householdId' | 'rectificationId'>) =>
  `rectification/${r.householdId}/${r.rectificationId}`;

/** The household write of an accepted rectification is marked applied under this id. */
const appliedId = (r: Rectification) => `RX:${r.rectificationId}`;

const WRITE_ATTEMPTS = 5;

export async function requireRectification(
  deps: Pick<RectificationDeps, 'rectifications'>,
  ids: Ids,
): Promise<Rectification> {
  const item = await deps.rectifications.get(ids.householdId, ids.rectificationId);
  if (!item) throw new NotFoundError(`No rectification ${ids.rectificationId}`);
  return item;
}

/** The proposal's ledger entry; appended again (idempotently) by the confirmation, so it is never lost. */
async function appendProposal(deps: Pick<RectificationDeps, 'audit'>, r: Rectification) {
  if (!r.proposedBy) return;
  await deps.audit.append({
    actor: r.proposedBy,
    role: r.proposedRole ?? 'program-officer',
    action: 'rectification.propose',
    subject: rectificationSubject(r),
    before: { status: 'OPEN', field: r.field, survey: r.survey },
    after: { status: 'PROPOSED', authority: r.authority, at: r.proposedAt },
    actionId: `rectification.propose/${r.householdId}/${r.rectificationId}/${r.proposedAt}`,
  });
}

/** An officer (the maker) proposes to take the ID authority's value; another officer confirms it. */
export async function proposeRectification(
  deps: RectificationDeps,
  actor: StaffActor,
  ids: Ids,
): Promise<Rectification> {
  const r = await requireRectification(deps, ids);
  if (r.status === 'PROPOSED' && sameStaffUserId(r.proposedBy, actor.user)) {
    await appendProposal(deps, r);
    return r;
  }
  if (r.status !== 'OPEN' && r.status !== 'FIELD_VISIT')
    throw new ConflictError(`Rectification ${ids.rectificationId} is ${r.status}`);
  const fields = {
    proposedBy: actor.user,
    proposedRole: actor.role,
    proposedAt: deps.clock.now().toISOString(),
  };
  const moved = await deps.rectifications.transition(
    ids.householdId,
    ids.rectificationId,
    ['OPEN', 'FIELD_VISIT'],
    {
      status: 'PROPOSED',
      ...fields,
    },
  );
  if (!moved) throw new ConflictError('Proposed or decided meanwhile by someone else');
  const proposed: Rectification = { ...r, status: 'PROPOSED', ...fields };
  crashPoint('rectify-propose.after-status');
  await appendProposal(deps, proposed);
  return proposed;
}

/**
 * The checker confirms a proposal: the ID authority's value is written into the household member
 * at once, so decision views and payee choice use it. The claim is a compare-and-set PROPOSED ->
 * APPLYING, so of two checkers at once exactly one proceeds. Then, each step repeatable: the household
 * is written once (the rectification's id is recorded on it), every member's decision view is
 * refreshed, the ledger gets the proposal and the acceptance (deterministic ids), and the item becomes
 * ACCEPTED. Calling it again on an APPLYING item (after a crash at any step) completes it, whoever calls.
 */
export async function confirmRectification(
  deps: RectificationDeps,
  actor: StaffActor,
  ids: Ids,
): Promise<Rectification> {
  let r = await requireRectification(deps, ids);
  if (r.status === 'PROPOSED') {
    if (sameStaffUserId(r.proposedBy, actor.user))
      throw new ConflictError('The officer who proposed a correction cannot also confirm it');
    const fields = {
      decidedBy: actor.user,
      decidedRole: actor.role,
      decidedAt: deps.clock.now().toISOString(),
    };
    const claimed = await deps.rectifications.transition(ids.householdId, ids.rectificationId, ['PROPOSED'], {
      status: 'APPLYING',
      ...fields,
    });
    if (!claimed) throw new ConflictError('Decided meanwhile by someone else');
    r = { ...r, status: 'APPLYING', ...fields };
    crashPoint('rectify-accept.after-claim');
  } else if (r.status !== 'APPLYING') {
    throw new ConflictError(`Rectification ${ids.rectificationId} was already ${r.status}`);
  }
  const accepted = await completeAcceptance(deps, r);
  if (!sameStaffUserId(accepted.decidedBy, actor.user))
    throw new ConflictError(`Rectification ${ids.rectificationId} was accepted by ${accepted.decidedBy}`);
  return accepted;
}

/** The household with the member's field set to the ID authority's value. */
export function withAuthorityValue(household: MutableHousehold, r: Rectification): MutableHousehold {
  if (!household.members.some((m) => m.cnicHash === r.cnicHash))
    throw new ValidationError('The member is no longer in this household');
  const attribute = r.field === 'deceased' ? 'deceased' : r.field;
  return {
    ...household,
    members: household.members.map((m) =>
      m.cnicHash === r.cnicHash ? { ...m, [attribute]: r.authority } : m,
    ),
  };
}

async function completeAcceptance(deps: RectificationDeps, r: Rectification): Promise<Rectification> {
  for (let attempt = 1; ; attempt++) {
    const state = await deps.households.read(r.householdId);
    if (!state) throw new NotFoundError(`No household ${r.householdId}`);
    if (state.applied.includes(appliedId(r))) break;
    const updated = withAuthorityValue(state.household, r);
    if (await deps.households.write(r.householdId, updated, appliedId(r), state.revision)) break;
    if (attempt >= WRITE_ATTEMPTS) throw new ConflictError('The household keeps changing; try again');
  }
  crashPoint('rectify-accept.after-household');
  await deps.households.refreshViews(r.householdId);
  crashPoint('rectify-accept.after-views');
  await appendProposal(deps, r);
  await deps.audit.append({
    actor: r.decidedBy ?? 'unknown',
    role: r.decidedRole ?? 'program-officer',
    action: 'rectification.accept',
    subject: rectificationSubject(r),
    before: { status: 'PROPOSED', field: r.field, value: r.survey, proposedBy: r.proposedBy },
    after: { status: 'ACCEPTED', field: r.field, value: r.authority },
    actionId: `rectification.accept/${r.householdId}/${r.rectificationId}`,
  });
  crashPoint('rectify-accept.after-audit');
  await deps.rectifications.transition(r.householdId, r.rectificationId, ['APPLYING'], {
    status: 'ACCEPTED',
  });
  return { ...r, status: 'ACCEPTED' };
}

/**
 * Closes a rectification without touching the registry: KEPT (the survey's value stands) or
 * FIELD_VISIT (someone goes to look), with the officer's reason; one officer decides, the ledger says who.
 */
export async function settleRectification(
  deps: RectificationDeps,
  actor: StaffActor,
  input: Ids & { outcome: 'KEPT' | 'FIELD_VISIT'; reason: string },
): Promise<Rectification> {
  const r = await requireRectification(deps, input);
  const from: RectificationStatus[] =
    input.outcome === 'KEPT' ? ['OPEN', 'PROPOSED', 'FIELD_VISIT'] : ['OPEN', 'PROPOSED'];
  if (!from.includes(r.status))
    throw new ConflictError(`Rectification ${input.rectificationId} is ${r.status}`);
  const fields = {
    decidedBy: actor.user,
    decidedRole: actor.role,
    decidedAt: deps.clock.now().toISOString(),
    reason: input.reason,
  };
  const moved = await deps.rectifications.transition(
    input.householdId,
    input.rectificationId,
    [r.status],
    { status: input.outcome, ...fields },
    ['proposedBy', 'proposedRole', 'proposedAt'],
  );
  if (!moved) throw new ConflictError('Decided meanwhile by someone else');
  crashPoint('rectify-settle.after-status');
  const settled: Rectification = { ...r, status: input.outcome, ...fields };
  await deps.audit.append({
    actor: actor.user,
    role: actor.role,
    action: input.outcome === 'KEPT' ? 'rectification.keep' : 'rectification.field-visit',
    subject: rectificationSubject(r),
    before: { status: r.status, field: r.field, survey: r.survey, authority: r.authority },
    after: { status: input.outcome, reason: input.reason },
    actionId: `rectification.${input.outcome === 'KEPT' ? 'keep' : 'field-visit'}/${r.householdId}/${r.rectificationId}/${fields.decidedAt}`,
  });
  return settled;
}
