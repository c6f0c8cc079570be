import { ConflictError, MadadError, NotFoundError } from '../errors.js';
import { crashPoint } from '../faults/crash-point.js';
import { normalizeCnic } from '../intake/cnic.js';
import { hashCnic } from '../intake/cnic-hash.js';
import type { StaffActor } from '../payments/model.js';
import {
  appendProposal,
  assertCanApprove,
  changeRequestSubject,
  isSubmitted,
  requireRequest,
} from './change-request-flow.js';
import type { ChangeRequestDeps } from './change-request-ports.js';
import type { ChangeRequest } from './change-requests.js';
import { checkChange } from './check-change.js';
import { sameStaffUserId } from './staff-user.js';

/** Rounds of read-change-write when another change of the same household lands in between. */
const WRITE_ATTEMPTS = 5;

/**
 * The checker approves a proposed change; it is applied to the registry. The claim is a
 * compare-and-set PROPOSED -> APPLYING on the request item, so of two approvers at once exactly one
 * proceeds. Then, each step conditional and repeatable: the new member's CNIC is indexed to the
 * household (refused when another household holds it), the household is written (once: the request
 * id is recorded on it), every member's decision view is refreshed, the ledger gets the approval
 * (deterministic actionId), and the request becomes APPROVED. Calling it again on an APPLYING request
 * (after a crash at any step) completes the same approval, whoever calls; a caller other than its
 * checker then gets a ConflictError naming the checker.
 */
export async function approveChangeRequest(
  deps: ChangeRequestDeps,
  actor: StaffActor,
  input: { householdId: string; requestId: string; reason: string },
): Promise<ChangeRequest> {
  let request = await requireRequest(deps, input.householdId, input.requestId);
  if (request.status === 'PROPOSED') {
    assertCanApprove(request, actor.user);
    const state = await deps.households.read(request.householdId);
    if (!state) throw new NotFoundError(`No household ${request.householdId}`);
    await checkChange(deps.people, await deps.pepper(), request.householdId, state.household, request.change);
    const fields = {
      decidedBy: actor.user,
      decidedRole: actor.role,
      decidedAt: deps.clock.now().toISOString(),
      reason: input.reason,
    };
    const claimed = await deps.changeRequests.transition(input.householdId, input.requestId, ['PROPOSED'], {
      status: 'APPLYING',
      ...fields,
    });
    if (!claimed) throw new ConflictError('Decided meanwhile by someone else');
    request = { ...request, status: 'APPLYING', ...fields };
    crashPoint('change-approve.after-claim');
  } else if (request.status !== 'APPLYING') {
    if (isSubmitted(request)) assertCanApprove(request, actor.user);
    throw new ConflictError(`Change request ${input.requestId} was already ${request.status}`);
  }
  const approved = await completeApproval(deps, request);
  // Anyone may complete an interrupted approval; only its checker is told it is theirs.
  if (!sameStaffUserId(approved.decidedBy, actor.user))
    throw new ConflictError(`Change request ${input.requestId} was approved by ${approved.decidedBy}`);
  return approved;
}

/** Steps after the claim; each is idempotent, so a re-run after a crash converges. */
async function completeApproval(deps: ChangeRequestDeps, request: ChangeRequest): Promise<ChangeRequest> {
  const { householdId, requestId } = request;
  const pepper = await deps.pepper();
  let indexed: string | undefined;
  try {
    for (let attempt = 1; ; attempt++) {
      const state = await deps.households.read(householdId);
      if (!state) throw new NotFoundError(`No household ${householdId}`);
      if (state.applied.includes(requestId)) break;
      const checked = await checkChange(deps.people, pepper, householdId, state.household, request.change);
      if (checked.newMemberHash && indexed !== checked.newMemberHash) {
        const index = await deps.households.indexMember(householdId, checked.newMemberHash, checked.updated);
        if (!index.ok) throw new ConflictError('The new member’s CNIC belongs to another household');
        indexed = checked.newMemberHash;
        crashPoint('change-approve.after-index');
      }
      if (await deps.households.write(householdId, checked.updated, requestId, state.revision)) break;
      if (attempt >= WRITE_ATTEMPTS) throw new ConflictError('The household keeps changing; try again');
    }
  } catch (error) {
    if (!(error instanceof MadadError)) throw error;
    await abandonApproval(deps, request, pepper);
    throw error;
  }
  crashPoint('change-approve.after-household');
  await deps.households.refreshViews(householdId);
  crashPoint('change-approve.after-views');
  await appendProposal(deps, request);
  await deps.audit.append({
    actor: request.decidedBy ?? 'unknown',
    role: request.decidedRole ?? 'program-officer',
    action: 'change-request.approve',
    subject: changeRequestSubject(request),
    before: { status: 'PROPOSED', proposedBy: request.proposedBy },
    after: { status: 'APPROVED', change: request.change, reason: request.reason },
    actionId: `change-request.approve/${householdId}/${requestId}`,
  });
  crashPoint('change-approve.after-audit');
  await deps.changeRequests.transition(householdId, requestId, ['APPLYING'], { status: 'APPROVED' });
  return { ...request, status: 'APPROVED' };
}

/**
 * The change no longer fits (the member was indexed elsewhere meanwhile, the ID authority changed its
 * record, the household changed): the household was not written, so the request goes back to
 * PROPOSED, and a newborn's index created by this approval (in this run or a crashed one) is
 * released unless the household lists them.
 */
async function abandonApproval(deps: ChangeRequestDeps, request: ChangeRequest, pepper: string) {
  const { change } = request;
  const cnic = change.type === 'member-born' ? normalizeCnic(change.member.cnic) : undefined;
  if (cnic?.ok) {
    const hash = hashCnic(pepper, cnic.cnic);
    const state = await deps.households.read(request.householdId);
    if (!state?.household.members.some((m) => m.cnicHash === hash))
      await deps.households.unindexMember(request.householdId, hash);
  }
  await deps.changeRequests.transition(
    request.householdId,
    request.requestId,
    ['APPLYING'],
    { status: 'PROPOSED' },
    ['decidedBy', 'decidedRole', 'decidedAt', 'reason'],
  );
}
