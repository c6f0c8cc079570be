import type {
  Appeal,
  AppealAssignment,
  AppealClaim,
  AppealNote,
  AppealOutcome,
  AppealProposal,
  AppealStatus,
  AppealStore,
  AppealWorkStore,
} from '@madad/core';

/**
 * An in-memory appeal store with the DynamoDB store's conditions (each method one conditional write on
 * one appeal), over a map the test can read and seed.
 */
export class MemoryAppealStore implements AppealStore, AppealWorkStore {
  constructor(readonly items: Map<string, Appeal> = new Map()) {}

  async open(appeal: Appeal): Promise<Appeal> {
    const existing = this.items.get(appeal.appealId);
    if (existing) return existing;
    this.items.set(appeal.appealId, appeal);
    return appeal;
  }

  async get(appealId: string): Promise<Appeal | undefined> {
    return this.items.get(appealId);
  }

  /** The person's latest appeal (the DynamoDB store reads it through a per-person pointer). */
  async latestOf(cnicHash: string): Promise<Appeal | undefined> {
    return [...this.items.values()]
      .filter((a) => a.cnicHash === cnicHash)
      .sort((a, b) => b.openedAt.localeCompare(a.openedAt))[0];
  }

  async list(status: AppealStatus, limit: number): Promise<Appeal[]> {
    return [...this.items.values()]
      .filter((a) => a.status === status)
      .sort((a, b) => a.openedAt.localeCompare(b.openedAt))
      .slice(0, limit);
  }

  async claim(appealId: string, claim: AppealClaim): Promise<boolean> {
    return this.update(appealId, (a) => a.status === 'OPEN', { status: 'RESOLVING', claim });
  }

  async complete(
    appealId: string,
    outcome: AppealOutcome,
    resolution: NonNullable<Appeal['resolution']>,
  ): Promise<void> {
    const ok = this.update(appealId, (a) => a.status === 'RESOLVING' && a.claim?.outcome === outcome, {
      status: outcome,
      resolution,
    });
    if (!ok && this.items.get(appealId)?.status !== outcome)
      throw new Error(`Appeal ${appealId} not claimed`);
  }

  async assign(
    appealId: string,
    assignment: AppealAssignment,
    expected: string | undefined,
  ): Promise<boolean> {
    return this.update(
      appealId,
      (a) => (a.status === 'OPEN' || a.status === 'PROPOSED') && a.assignment?.to === expected,
      { assignment },
    );
  }

  async addNote(appealId: string, note: AppealNote): Promise<boolean> {
    const appeal = this.items.get(appealId);
    if (!appeal || appeal.notes?.some((n) => n.noteId === note.noteId)) return false;
    this.items.set(appealId, { ...appeal, notes: [...(appeal.notes ?? []), note] });
    return true;
  }

  async propose(appealId: string, proposal: AppealProposal): Promise<boolean> {
    return this.update(appealId, (a) => a.status === 'OPEN', { status: 'PROPOSED', proposal });
  }

  async confirm(appealId: string, proposalAt: string, claim: AppealClaim): Promise<boolean> {
    return this.update(appealId, (a) => a.status === 'PROPOSED' && a.proposal?.at === proposalAt, {
      status: 'RESOLVING',
      claim,
    });
  }

  async decline(appealId: string, proposalAt: string, declinedBy: string): Promise<boolean> {
    const appeal = this.items.get(appealId);
    if (appeal?.status !== 'PROPOSED' || appeal.proposal?.at !== proposalAt) return false;
    this.items.set(appealId, { ...appeal, status: 'OPEN', proposal: { ...appeal.proposal, declinedBy } });
    return true;
  }

  private update(appealId: string, when: (a: Appeal) => boolean, change: Partial<Appeal>): boolean {
    const appeal = this.items.get(appealId);
    if (!appeal || !when(appeal)) return false;
    this.items.set(appealId, { ...appeal, ...change });
    return true;
  }
}
