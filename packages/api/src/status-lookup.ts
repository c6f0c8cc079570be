import {
  type CampaignDirectory,
  hashCnic,
  type Language,
  latestOf,
  type ReferenceIndex,
  type RegistryLookup,
  readHouseholdStanding,
  tieFromMatch,
} from '@madad/core';
import type { ApiDeps } from './deps.js';
import { publicDecision } from './public-decision.js';

export type PublicStatus = ReturnType<typeof publicDecision> | { reference: string; status: 'QUEUED' };

/** What the status page reads of a household: its person's partition, whose a reference is, campaigns in force. */
export interface StandingPorts {
  readonly registry: Pick<RegistryLookup, 'resolve'>;
  readonly references: Pick<ReferenceIndex, 'get'>;
  readonly campaigns: CampaignDirectory;
}

type LookupDeps = Pick<ApiDeps, 'registrations' | 'enrollments' | 'clock' | 'standing'> &
  Partial<Pick<ApiDeps, 'appeals'>>;

function standingDeps(deps: LookupDeps) {
  return {
    registry: deps.standing.registry,
    campaigns: deps.standing.campaigns,
    enrollments: deps.enrollments,
    clock: deps.clock,
    // The person's latest appeal by key (the store's pointer), so the page says where a complaint is.
    ...(deps.appeals ? { appeals: deps.appeals } : {}),
  };
}

/**
 * A household by any reference the system has sent: the household's state now, computed as SMS
 * STATUS computes it, under the household's one reference in the campaign (a second registration's
 * page shows the original reference). A reference is whose the index says (written only when it was
 * told to the household alone), or a web registration's own, revealing the outcome only when it came
 * from a phone tied to the household. Anything else (unknown, not yet decided, registered from a
 * stranger's phone) gets the same answer: queued.
 */
export async function statusByReference(
  deps: LookupDeps,
  reference: string,
  lang?: Language,
): Promise<PublicStatus> {
  const entry = await deps.standing.references.get(reference);
  let cnicHash = entry?.cnicHash;
  let recordLang: Language | undefined;
  if (!cnicHash && reference.startsWith('W')) {
    const item = await deps.registrations.get(`web-${reference}`);
    if (item?.tied === true && item.decision && typeof item.cnicHash === 'string') {
      cnicHash = item.cnicHash;
      recordLang = item.lang === 'ur' ? 'ur' : 'en';
    }
  }
  if (!cnicHash) return { reference, status: 'QUEUED' };
  const standing = await readHouseholdStanding(standingDeps(deps), cnicHash);
  return publicDecision(
    { ...standing, reference: standing.reference ?? reference },
    lang ?? recordLang ?? 'en',
  );
}

/**
 * The household's state for a CNIC, shown only to a phone tied to it: the phone its decision's
 * notices go to, or one of its registry phones or the person's own SIM (then a household that has
 * not registered yet learns how to). Undefined whether the CNIC is unknown or the phone does not
 * match: no enumeration.
 */
export async function statusByCnicAndPhone(
  deps: LookupDeps & Pick<ApiDeps, 'cnicPepper'>,
  cnic: string,
  phone: string,
  lang?: Language,
): Promise<ReturnType<typeof publicDecision> | undefined> {
  const cnicHash = hashCnic(await deps.cnicPepper(), cnic);
  const match = (await deps.standing.registry.resolve([cnicHash])).get(cnicHash);
  const latest = latestOf(match?.decisionsOfRecord);
  const tie = tieFromMatch(match, phone);
  if (latest?.from !== phone && !(tie.known && tie.tied)) return undefined;
  const standing = await readHouseholdStanding(standingDeps(deps), cnicHash, { ...(match ? { match } : {}) });
  return publicDecision(standing, lang ?? (latest?.lang === 'ur' ? 'ur' : 'en'));
}
