import type { Appeal } from '../appeals/appeals.js';
import type { AuditEntry } from '../audit/audit-ledger.js';
import type { Campaign } from '../campaigns/campaign.js';
import type { Enrollment } from '../campaigns/enrollment-ports.js';
import { normalizeCnic } from '../intake/cnic.js';
import type { DecisionOfRecord, RegistrationRecord } from '../registration/ports.js';
import type { ChangeRequest } from './change-requests.js';
import type { HouseholdVerification } from './verification-ports.js';

/** What the registry's partition of one CNIC holds besides the person: identity, flags, decisions. */
export interface PersonRecords {
  readonly identity?: {
    readonly status: 'ALIVE' | 'DECEASED' | 'BLOCKED';
    readonly simPhones: readonly string[];
  };
  readonly exclusions: readonly string[];
  readonly decisions: readonly DecisionOfRecord[];
}

/** An enrollment with its payment fields (batched, paid, failed), as the payments flows leave them. */
export type EnrollmentWithPayment = Enrollment & {
  readonly batchId?: string;
  readonly paymentState?: string;
  readonly paymentAttempt?: number;
  readonly paidReference?: string;
  readonly paidAt?: string;
};

/** Every read the profile makes, each by key or one partition's Query. */
export interface HouseholdProfileSources {
  /** The household item, and its verification as stored (validated by the adapter). */
  household(
    householdId: string,
  ): Promise<
    { readonly item: Record<string, unknown>; readonly verification?: HouseholdVerification } | undefined
  >;
  people(cnicHashes: readonly string[]): Promise<Map<string, PersonRecords>>;
  changeRequests(householdId: string): Promise<ChangeRequest[]>;
  enrollments(householdId: string, campaignIds: readonly string[]): Promise<EnrollmentWithPayment[]>;
  campaigns(): Promise<Campaign[]>;
  appeals(cnicHashes: readonly string[]): Promise<Appeal[]>;
  /** A phone's message records, newest first. */
  messages(phone: string): Promise<RegistrationRecord[]>;
  /** A web registration's record by its message id (`web-<reference>`). */
  registration(messageId: string): Promise<RegistrationRecord | undefined>;
  /** Ledger entries whose subject is one of `subjects` (or starts with one ending in `/`). */
  auditAbout(subjects: readonly string[]): Promise<AuditEntry[]>;
}

/** How much of the personal data the viewer's role may see (decided by the API, see README). */
export interface ProfileView {
  /** Full CNICs (the ledger records the read). */
  readonly rawCnics: boolean;
}

/**
 * A CNIC as staff who do not need it whole see it: the locality (first five digits) and the last three,
 * `35202-*****67-1`, enough to confirm with a caller who reads their card, not enough to use it.
 */
export function maskCnicForStaff(cnic: string): string {
  const result = normalizeCnic(cnic);
  if (!result.ok) return cnic.replace(/\p{Nd}/gu, '*');
  const d = result.cnic;
  return `${d.slice(0, 5)}-*****${d.slice(10, 12)}-${d.slice(12)}`;
}

const CNIC_IN_TEXT =
  /[0-9\u06F0-\u06F9\u0660-\u0669]{5}[-\s]?[0-9\u06F0-\u06F9\u0660-\u0669]{7}[-\s]?[0-9\u06F0-\u06F9\u0660-\u0669]/gu;

/** Texts households receive quote their own CNIC (`STATUS 35202-1234567-1`): masked like the members'. */
export function maskCnicsInText(value: string): string {
  return value.replace(CNIC_IN_TEXT, (match) => maskCnicForStaff(match));
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * One household as staff need it when a household calls: who is in it (identity status, exclusion
 * flags), where, its score and programmes, every decision (reasons, rule version) and message (sent
 * and received), enrollments with their payments, appeals, change requests, its verification and the
 * ledger entries about it. Undefined when there is no such household.
 */
export async function readHouseholdProfile(
  sources: HouseholdProfileSources,
  householdId: string,
  view: ProfileView,
) {
  const found = await sources.household(householdId);
  if (!found) return undefined;
  const { item } = found;
  const rawMembers = list(item.members) as Record<string, unknown>[];
  const hashes = rawMembers.map((m) => text(m.cnicHash));
  const [people, changeRequests, campaigns, appeals] = await Promise.all([
    sources.people(hashes),
    sources.changeRequests(householdId),
    sources.campaigns(),
    sources.appeals(hashes),
  ]);
  const members = rawMembers.map((m) => {
    const person = people.get(text(m.cnicHash));
    return {
      name: text(m.name),
      relation: text(m.relation),
      gender: text(m.gender),
      ...(typeof m.birthYear === 'number' ? { birthYear: m.birthYear } : {}),
      cnic: view.rawCnics ? text(m.cnic) : maskCnicForStaff(text(m.cnic)),
      identity: person?.identity?.status ?? 'UNKNOWN',
      exclusions: person?.exclusions ?? [],
    };
  });
  const decisions = hashes.flatMap((hash, i) =>
    (people.get(hash)?.decisions ?? []).map((d) => ({ member: i, ...d })),
  );
  decisions.sort((a, b) => b.decision.decidedAt.localeCompare(a.decision.decidedAt));
  const phones = [
    ...new Set([...(list(item.phones) as string[]), ...decisions.map((d) => d.from).filter(Boolean)]),
  ];
  const memberSet = new Set(hashes);
  const [byPhone, web, enrollments, audit] = await Promise.all([
    Promise.all(phones.map((p) => sources.messages(p))),
    Promise.all(
      [...new Set(decisions.map((d) => d.messageId).filter((id) => id.startsWith('web-')))].map((id) =>
        sources.registration(id),
      ),
    ),
    sources.enrollments(
      householdId,
      campaigns.map((c) => c.campaignId),
    ),
    sources.auditAbout([
      `household/${householdId}`,
      `change-request/${householdId}/`,
      ...appeals.map((a) => `appeal/${a.appealId}`),
    ]),
  ]);
  // Only this household's messages: a phone that also sent other CNICs (a helper's) shows none of theirs.
  const messages = [...byPhone.flat(), ...web.filter((r): r is RegistrationRecord => r !== undefined)]
    .filter((r) => r.cnicHash !== undefined && memberSet.has(r.cnicHash))
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  const names = new Map(campaigns.map((c) => [c.campaignId, c.name]));
  const shown = view.rawCnics ? (t: string) => t : maskCnicsInText;
  const verification = found.verification?.result?.notice
    ? {
        ...found.verification,
        result: {
          ...found.verification.result,
          notice: { ...found.verification.result.notice, text: shown(found.verification.result.notice.text) },
        },
      }
    : found.verification;
  return {
    householdId,
    status: text(item.status) || 'active',
    source: text(item.source),
    province: text(item.province),
    district: text(item.district),
    tehsil: text(item.tehsil),
    pmtScore: typeof item.pmtScore === 'number' ? item.pmtScore : undefined,
    surveyedAt: text(item.surveyedAt) || undefined,
    registeredAt: text(item.registeredAt) || undefined,
    programmes: list(item.programmes).map(String),
    answers: item.answers as { size?: number; children?: number; assets?: string[] } | undefined,
    phones: list(item.phones).map(String),
    members,
    decisions: decisions.map(({ member, ...d }) => ({ member, campaignName: names.get(d.campaignId), ...d })),
    messages: messages.map((m) => ({
      ...m,
      ...(m.reply ? { reply: { ...m.reply, text: shown(m.reply.text) } } : {}),
      ...(m.notice ? { notice: { ...m.notice, text: shown(m.notice.text) } } : {}),
    })),
    enrollments: enrollments.map((e) => ({ ...e, campaignName: names.get(e.campaignId) })),
    appeals: appeals.map((a) => ({ ...a, note: shown(a.note) })),
    changeRequests,
    verification,
    audit,
  };
}

export type HouseholdProfile = NonNullable<Awaited<ReturnType<typeof readHouseholdProfile>>>;
