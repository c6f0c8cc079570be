import { randomUUID } from 'node:crypto';
import {
  type AppealStatus,
  type AuditEntry,
  type HouseholdFinder,
  type HouseholdProfileSources,
  type ProfileView,
  RAW_CNIC_ROLES,
  type RegistrationRecord,
  readHouseholdProfile,
  type StaffActor,
  type StaffRole,
  searchHouseholds,
  type VerificationDeps,
} from '@madad/core';
import { rolesOf } from './access-policy.js';
import type { ApiDeps } from './deps.js';

/**
 * Who may find households and read their profiles: the officers who answer households, approvers
 * (a batch's flagged line) and auditors. Not the emergency cell, whose work is campaigns and figures.
 */
export const PROFILE_READERS: StaffRole[] = rolesOf('households.profile');
/** Who verifies provisional households (and confirms another officer's eligible finding). */
export const VERIFIERS: StaffRole[] = rolesOf('households.work');

const APPEAL_STATUSES: AppealStatus[] = ['OPEN', 'PROPOSED', 'RESOLVING', 'UPHELD', 'OVERTURNED'];
/** How far back the profile reads the ledger for entries about the household (one partition's range). */
export const PROFILE_AUDIT_WINDOW = 1000;
const APPEAL_ID = /^A[0-9A-Z]{7}$/;

/** The role a staff member acts under: the first of `allowed` they hold, else admin. */
export function actingRole(roles: readonly StaffRole[], allowed: readonly StaffRole[]): string {
  return roles.find((r) => allowed.includes(r)) ?? 'admin';
}

/** Key lookups behind the search box (`searchHouseholds`): the CNIC index, a phone's messages, references. */
function finder(deps: ApiDeps): HouseholdFinder {
  return {
    householdIdOf: (hash) => deps.households.householdIdOf(hash),
    cnicHashesOfPhone: async (phone) =>
      (await deps.registrations.listByPhone(phone, 50)).flatMap((r) => (r.cnicHash ? [r.cnicHash] : [])),
    cnicHashOfReference: async (reference) => {
      if (APPEAL_ID.test(reference)) {
        const appeal = await deps.appeals.get(reference);
        if (appeal) return appeal.cnicHash;
      }
      // SMS and top-up references told to a household (the status page's index), then web ones.
      const told = await deps.standing.references.get(reference);
      if (told) return told.cnicHash;
      const web = await deps.registrations.get(`web-${reference}`);
      return typeof web?.cnicHash === 'string' ? web.cnicHash : undefined;
    },
    householdExists: async (id) => (await deps.households.get(id)) !== undefined,
  };
}

export function findHouseholds(deps: ApiDeps, actor: StaffActor, query: string) {
  return searchHouseholds({ finder: finder(deps), pepper: deps.cnicPepper, audit: deps.audit }, actor, query);
}

/** The ledger entries about the household among the latest `PROFILE_AUDIT_WINDOW` (seq range, no scan). */
async function auditAbout(deps: ApiDeps, subjects: readonly string[]): Promise<AuditEntry[]> {
  const head = await deps.audit.head();
  if (!head) return [];
  const from = Math.max(0, head.seq - PROFILE_AUDIT_WINDOW + 1);
  const entries = await deps.audit.list(from, PROFILE_AUDIT_WINDOW);
  const about = (subject: string) =>
    subjects.some((s) => (s.endsWith('/') ? subject.startsWith(s) : subject === s));
  return entries.filter((e) => about(e.subject)).reverse();
}

function sources(deps: ApiDeps): HouseholdProfileSources {
  const reads = deps.householdFiles.reads;
  return {
    household: (id) => reads.household(id),
    people: (hashes) => reads.people(hashes),
    changeRequests: (id) => reads.changeRequests(id),
    enrollments: (id, campaigns) => reads.enrollments(id, campaigns),
    campaigns: () => deps.campaigns.list(),
    appeals: async (hashes) => {
      const mine = new Set(hashes);
      const lists = await Promise.all(APPEAL_STATUSES.map((s) => deps.appeals.list(s, 200)));
      return lists.flat().filter((a) => mine.has(a.cnicHash));
    },
    messages: (phone) => deps.registrations.listByPhone(phone, 50),
    registration: async (messageId) =>
      (await deps.registrations.get(messageId)) as RegistrationRecord | undefined,
    auditAbout: (subjects) => auditAbout(deps, subjects),
  };
}

/**
 * The profile for a staff member. Members' CNICs are masked for every role (`35202-*****67-1`);
 * `raw` (asked for explicitly, by program-officer or admin only) shows them whole and is recorded in
 * the ledger as `household.read-raw` before the answer leaves.
 */
export async function householdProfile(
  deps: ApiDeps,
  actor: StaffActor & { roles: readonly StaffRole[] },
  householdId: string,
  raw = false,
) {
  const rawRole = actor.roles.find((r) => (RAW_CNIC_ROLES as readonly string[]).includes(r));
  const view: ProfileView = { rawCnics: raw && rawRole !== undefined };
  const profile = await readHouseholdProfile(sources(deps), householdId, view);
  if (profile && view.rawCnics && rawRole) {
    await deps.audit.append({
      actor: actor.user,
      role: rawRole,
      action: 'household.read-raw',
      subject: `household/${householdId}`,
      after: { members: profile.members.length, view: 'profile' },
      actionId: `household.read-raw/${householdId}/${randomUUID()}`,
    });
  }
  return profile;
}

export function verificationDeps(deps: ApiDeps): VerificationDeps {
  return {
    verifications: deps.householdFiles.verifications,
    campaigns: deps.campaigns,
    decisions: deps.decisions,
    enrollments: deps.enrollments,
    replies: deps.replies,
    audit: deps.audit,
    stats: deps.stats,
    clock: deps.clock,
    ...(deps.gazetteer ? { gazetteer: deps.gazetteer } : {}),
  };
}
