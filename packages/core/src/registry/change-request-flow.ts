import { randomUUID } from 'node:crypto';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { crashPoint } from '../faults/crash-point.js';
import type { StaffActor } from '../payments/model.js';
import type { ChangeRequestDeps } from './change-request-ports.js';
import type { Change, ChangeRequest } from './change-requests.js';
import { checkChange } from './check-change.js';
import { sameStaffUserId } from './staff-user.js';

/** Names one request in the ledger and in routes. */
export const changeRequestSubject = (r: Pick<ChangeRequest, 'householdId' | 'requestId'>) =>
  `change-request/${r.householdId}/${r.requestId}`;

const newRequestId = () => `CR-${randomUUID().slice(0, 8).toUpperCase()}`;

/** Legacy `PENDING` requests were stored before maker-checker: they are household submissions. */
export const isSubmitted = (r: Pick<ChangeRequest, 'status'>) =>
  r.status === 'SUBMITTED' || (r.status as string) === 'PENDING';

export async function requireRequest(
  deps: Pick<ChangeRequestDeps, 'changeRequests'>,
  householdId: string,
  requestId: string,
): Promise<ChangeRequest> {
  const request = await deps.changeRequests.get(householdId, requestId);
  if (!request) throw new NotFoundError(`No change request ${requestId}`);
  return request;
}

/** Checks the change against the household as it is now (and the ID authority, for a new member). */
async function checkNow(deps: ChangeRequestDeps, householdId: string, change: Change) {
  const state = await deps.households.read(householdId);
  if (!state) throw new NotFoundError(`No household ${householdId}`);
  return checkChange(deps.people, await deps.pepper(), householdId, state.household, change);
}

/** The proposal's ledger entry; appended again (idempotently) by every later step, so it is never lost. */
export async function appendProposal(deps: Pick<ChangeRequestDeps, 'audit'>, request: ChangeRequest) {
  if (!request.proposedBy) return;
  await deps.audit.append({
    actor: request.proposedBy,
    role: request.proposedRole ?? 'program-officer',
    action: 'change-request.propose',
    subject: changeRequestSubject(request),
    before: { status: request.channel === 'staff' ? 'NONE' : 'SUBMITTED' },
    after: { status: 'PROPOSED', change: request.change, at: request.proposedAt },
    actionId: `change-request.propose/${request.householdId}/${request.requestId}`,
  });
}

/** A household's own request (public, by CNIC and phone): it waits for a staff member to propose it. */
export async function submitChangeRequest(
  deps: Pick<ChangeRequestDeps, 'changeRequests' | 'clock'>,
  input: { householdId: string; phone: string; change: Change; note?: string },
): Promise<ChangeRequest> {
  const request: ChangeRequest = {
    requestId: newRequestId(),
    householdId: input.householdId,
    change: input.change,
    ...(input.note ? { note: input.note } : {}),
    status: 'SUBMITTED',
    requestedAt: deps.clock.now().toISOString(),
    requestedBy: input.phone,
    channel: 'household',
  };
  await deps.changeRequests.create(request);
  return request;
}

/** A staff member files a change directly: they are its proposer (maker), someone else approves. */
export async function fileChangeRequest(
  deps: ChangeRequestDeps,
  actor: StaffActor,
  input: { householdId: string; change: Change; note?: string },
): Promise<ChangeRequest> {
  await checkNow(deps, input.householdId, input.change);
  const at = deps.clock.now().toISOString();
  const request: ChangeRequest = {
    requestId: newRequestId(),
    householdId: input.householdId,
    change: input.change,
    ...(input.note ? { note: input.note } : {}),
    status: 'PROPOSED',
    requestedAt: at,
    requestedBy: actor.user,
    channel: 'staff',
    proposedBy: actor.user,
    proposedRole: actor.role,
    proposedAt: at,
  };
  await deps.changeRequests.create(request);
  crashPoint('change-file.after-create');
  await appendProposal(deps, request);
  return request;
}

/** A staff member endorses a household's submission as its proposer (maker). */
export async function proposeChangeRequest(
  deps: ChangeRequestDeps,
  actor: StaffActor,
  ids: { householdId: string; requestId: string },
): Promise<ChangeRequest> {
  const request = await requireRequest(deps, ids.householdId, ids.requestId);
  // A re-run after a crash between the status write and the ledger completes the ledger.
  if (request.status === 'PROPOSED' && sameStaffUserId(request.proposedBy, actor.user)) {
    await appendProposal(deps, request);
    return request;
  }
  if (!isSubmitted(request))
    throw new ConflictError(
      `Change request ${ids.requestId} is ${request.status}; only a submitted one is proposed`,
    );
  await checkNow(deps, ids.householdId, request.change);
  const fields = {
    proposedBy: actor.user,
    proposedRole: actor.role,
    proposedAt: deps.clock.now().toISOString(),
  };
  const moved = await deps.changeRequests.transition(ids.householdId, ids.requestId, ['SUBMITTED'], {
    status: 'PROPOSED',
    ...fields,
  });
  if (!moved) throw new ConflictError('Proposed or decided meanwhile by someone else');
  const proposed: ChangeRequest = { ...request, status: 'PROPOSED', ...fields };
  crashPoint('change-propose.after-status');
  await appendProposal(deps, proposed);
  return proposed;
}

/** Rejects a submitted or proposed request (the proposer may withdraw their own). */
export async function rejectChangeRequest(
  deps: ChangeRequestDeps,
  actor: StaffActor,
  input: { householdId: string; requestId: string; reason: string },
): Promise<ChangeRequest> {
  let request = await requireRequest(deps, input.householdId, input.requestId);
  const again = request.status === 'REJECTED' && sameStaffUserId(request.decidedBy, actor.user);
  if (!again) {
    if (!isSubmitted(request) && request.status !== 'PROPOSED')
      throw new ConflictError(`Change request ${input.requestId} was already ${request.status}`);
    const fields = {
      decidedBy: actor.user,
      decidedRole: actor.role,
      decidedAt: deps.clock.now().toISOString(),
      reason: input.reason,
    };
    const moved = await deps.changeRequests.transition(
      input.householdId,
      input.requestId,
      ['SUBMITTED', 'PROPOSED'],
      { status: 'REJECTED', ...fields },
    );
    if (!moved) throw new ConflictError('Decided meanwhile by someone else');
    crashPoint('change-reject.after-status');
    request = { ...request, status: 'REJECTED', ...fields };
  }
  await appendProposal(deps, request);
  await deps.audit.append({
    actor: request.decidedBy ?? actor.user,
    role: request.decidedRole ?? actor.role,
    action: 'change-request.reject',
    subject: changeRequestSubject(request),
    before: { status: request.proposedBy ? 'PROPOSED' : 'SUBMITTED', proposedBy: request.proposedBy },
    after: { status: 'REJECTED', reason: request.reason },
    actionId: `change-request.reject/${request.householdId}/${request.requestId}`,
  });
  return request;
}

/** Maker-checker: the proposer never approves, whatever the case or Unicode form of their user id. */
export function assertCanApprove(request: ChangeRequest, checker: string): void {
  if (!request.proposedBy)
    throw new ConflictError(`Change request ${request.requestId} must be proposed by staff before approval`);
  if (sameStaffUserId(request.proposedBy, checker))
    throw new ForbiddenError(
      `You proposed change request ${request.requestId}; another staff member must approve it (maker-checker)`,
    );
}
