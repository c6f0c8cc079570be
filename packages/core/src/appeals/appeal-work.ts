import type { AuditLog } from '../audit/ports.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { crashPoint } from '../faults/crash-point.js';
import { sameStaffUserId } from '../registry/staff-user.js';
import type { Clock } from '../time/clock.js';
import type { Appeal, AppealClaim } from './appeals.js';

/** The officer an appeal is assigned to, who assigned it and when. */
export interface AppealAssignment {
  readonly to: string;
  readonly by: string;
  readonly at: string;
}

/** A note on an appeal: appended, never changed or removed, and recorded in the audit ledger. */
export interface AppealNote {
  readonly noteId: string;
  readonly by: string;
  readonly at: string;
  readonly text: string;
}

/** An overturn above the second-officer threshold, waiting for another officer to confirm or decline it. */
export interface AppealProposal {
  readonly by: string;
  readonly role: string;
  readonly reason: string;
  /** The entitlement the overturn would create (PKR), 0 when it creates none. */
  readonly amount: number;
  readonly at: string;
  /** The officer who declined it (the appeal went back to OPEN). */
  readonly declinedBy?: string;
}

/** What staff add to an appeal while they work it (stored on the appeal item). */
export interface AppealWorkFields {
  readonly assignment?: AppealAssignment;
  readonly notes?: readonly AppealNote[];
  /** Present while the appeal is PROPOSED; kept (with the decline) when another officer declines it. */
  readonly proposal?: AppealProposal;
}

/** Staff work on an appeal, each a single conditional write on the appeal item. */
export interface AppealWorkStore {
  /**
   * Sets the assignment if the appeal is OPEN or PROPOSED and its assignee is still `expected`
   * (undefined: unassigned); false when it is not (someone else assigned it meanwhile, or it is resolved).
   */
  assign(appealId: string, assignment: AppealAssignment, expected: string | undefined): Promise<boolean>;
  /** Appends the note unless a note with its id is there already (a re-run); false then. */
  addNote(appealId: string, note: AppealNote): Promise<boolean>;
  /** OPEN -> PROPOSED with the proposal, conditional on OPEN; false when it was not OPEN. */
  propose(appealId: string, proposal: AppealProposal): Promise<boolean>;
  /** PROPOSED (this proposal, by `at`) -> RESOLVING with the confirming officer's claim. */
  confirm(appealId: string, proposalAt: string, claim: AppealClaim): Promise<boolean>;
  /** PROPOSED (this proposal) -> OPEN, the proposal kept with who declined it. */
  decline(appealId: string, proposalAt: string, declinedBy: string): Promise<boolean>;
}

export interface AppealWorkDeps {
  readonly appeals: { get(appealId: string): Promise<Appeal | undefined> } & AppealWorkStore;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly clock: Clock;
}

const WORKABLE = new Set(['OPEN', 'PROPOSED']);

async function workable(deps: AppealWorkDeps, appealId: string): Promise<Appeal> {
  const appeal = await deps.appeals.get(appealId);
  if (!appeal) throw new NotFoundError(`No appeal ${appealId}`);
  return appeal;
}

/**
 * Assigns an appeal to an officer (oneself or someone else). Conditional on the assignee the caller
 * saw, so two officers assigning at once get one outcome and the other a ConflictError. Re-run after
 * a crash (the assignment is already as asked) it only completes the ledger entry, named by the
 * assignment's own time.
 */
export async function assignAppeal(
  deps: AppealWorkDeps,
  request: { appealId: string; to: string; by: string; role: string; expected?: string | undefined },
): Promise<Appeal> {
  const to = request.to.trim();
  if (!to || to.length > 128) throw new ValidationError('Name the officer to assign the appeal to');
  const appeal = await workable(deps, request.appealId);
  let assignment = appeal.assignment;
  if (!(assignment && sameStaffUserId(assignment.to, to) && sameStaffUserId(assignment.by, request.by))) {
    if (!WORKABLE.has(appeal.status))
      throw new ConflictError(`Appeal ${appeal.appealId} is ${appeal.status}`);
    const current = appeal.assignment?.to;
    if (request.expected !== undefined && !sameStaffUserId(request.expected, current ?? ''))
      throw new ConflictError(`Appeal ${appeal.appealId} is now assigned to ${current ?? 'nobody'}`);
    assignment = { to, by: request.by, at: deps.clock.now().toISOString() };
    if (!(await deps.appeals.assign(appeal.appealId, assignment, current)))
      throw new ConflictError(
        `Appeal ${appeal.appealId} changed while you assigned it: reload and try again`,
      );
  }
  crashPoint('appeal-assign.after-write');
  await deps.audit.append({
    actor: request.by,
    role: request.role,
    action: 'appeal.assign',
    subject: `appeal/${appeal.appealId}`,
    before: { assignedTo: appeal.assignment?.to ?? null },
    after: { assignedTo: assignment.to },
    actionId: `appeal.assign/${appeal.appealId}/${assignment.at}`,
  });
  return { ...appeal, assignment };
}

/**
 * Appends a note to an appeal (append-only: there is no way to change or remove one). The note id
 * comes from the form that wrote it, so a double submit or a re-run after a crash adds it once and
 * completes its ledger entry.
 */
export async function addAppealNote(
  deps: AppealWorkDeps,
  request: { appealId: string; noteId: string; text: string; by: string; role: string },
): Promise<Appeal> {
  const text = request.text.trim();
  if (text.length < 2 || text.length > 2000)
    throw new ValidationError('Write the note (2 to 2000 characters)');
  if (!/^[A-Za-z0-9-]{8,64}$/.test(request.noteId)) throw new ValidationError('Not a note id');
  const appeal = await workable(deps, request.appealId);
  const existing = appeal.notes?.find((n) => n.noteId === request.noteId);
  const note = existing ?? {
    noteId: request.noteId,
    by: request.by,
    at: deps.clock.now().toISOString(),
    text,
  };
  if (!existing) await deps.appeals.addNote(appeal.appealId, note);
  crashPoint('appeal-note.after-write');
  await deps.audit.append({
    actor: note.by,
    role: request.role,
    action: 'appeal.note',
    subject: `appeal/${appeal.appealId}`,
    after: { noteId: note.noteId, text: note.text },
    actionId: `appeal.note/${appeal.appealId}/${note.noteId}`,
  });
  return { ...appeal, notes: [...(appeal.notes ?? []).filter((n) => n.noteId !== note.noteId), note] };
}
