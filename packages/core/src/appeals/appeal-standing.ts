import type { HouseholdStanding } from '../registration/household-standing.js';
import type { Appeal } from './appeals.js';

/**
 * A person's latest appeal, read by key (a per-person pointer to the appeal, never a Scan): what the
 * household's standing needs to say where its complaint is.
 */
export interface AppealsOfPerson {
  latestOf(cnicHash: string): Promise<Appeal | undefined>;
}

/**
 * The standing of a person who appealed, as the household knows it. An appeal being worked (open,
 * assigned, proposed, resolving) is RECEIVED under the appeal's id (the reference its SMS told); an
 * upheld one is UPHELD, the original decision and its reasons kept; an overturned one is the new
 * decision where it made one (eligible or waitlisted, with amount and payment stage), else OVERTURNED.
 * An appeal older than the decision the standing rests on (a later registration) no longer speaks.
 */
export function withAppeal(standing: HouseholdStanding, appeal: Appeal | undefined): HouseholdStanding {
  if (!appeal) return standing;
  const since = appeal.resolution?.at ?? appeal.openedAt;
  if (standing.decidedAt !== undefined && standing.decidedAt > since) return standing;
  const told = { reference: appeal.appealId };
  switch (appeal.status) {
    case 'OPEN':
    case 'PROPOSED':
    case 'RESOLVING':
      return { ...standing, ...told, appeal: 'RECEIVED' };
    case 'UPHELD':
      return { ...standing, ...told, appeal: 'UPHELD' };
    case 'OVERTURNED':
      if (standing.status === 'ELIGIBLE' || standing.status === 'WAITLISTED') return standing;
      return { ...standing, ...told, appeal: 'OVERTURNED' };
  }
}
