import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/ports.js';
import { ValidationError } from '../errors.js';
import { maskCnic, normalizeCnic } from '../intake/cnic.js';
import { hashCnic } from '../intake/cnic-hash.js';
import { maskPhone, normalizePhone } from '../intake/phone.js';
import type { StaffActor } from '../payments/model.js';

/** What a staff search box was given, read as the one key it can be. */
export type HouseholdQuery =
  | { readonly kind: 'cnic'; readonly cnic: string }
  | { readonly kind: 'phone'; readonly phone: string }
  | { readonly kind: 'reference'; readonly reference: string }
  | { readonly kind: 'household'; readonly householdId: string };

/** References and appeal ids: 8 letters and digits (tried as a household id too when nobody holds it). */
const REFERENCE = /^[0-9A-Z]{8}$/;
const HOUSEHOLD_ID = /^[A-Za-z0-9-]{1,40}$/;

/**
 * Reads a search as a CNIC (any typed form: dashes, spaces, Urdu digits), else a phone (any local or
 * international form: 0300-1234567, +92 300 1234567, 923001234567), else a reference or appeal id
 * (O read as 0, I and L as 1), else a household id. A 13-digit CNIC is never a phone (11 or 12 digits).
 */
export function readHouseholdQuery(raw: string): HouseholdQuery | undefined {
  const text = raw.trim();
  if (text === '') return undefined;
  const cnic = normalizeCnic(text);
  if (cnic.ok) return { kind: 'cnic', cnic: cnic.cnic };
  const phone = normalizePhone(text);
  if (phone.ok) return { kind: 'phone', phone: phone.phone };
  const compact = text.replace(/\s/g, '').toUpperCase();
  if (REFERENCE.test(compact))
    return { kind: 'reference', reference: compact.replace(/O/g, '0').replace(/[IL]/g, '1') };
  if (HOUSEHOLD_ID.test(text)) return { kind: 'household', householdId: text };
  return undefined;
}

/** The query as the ledger records it: masked, so the ledger holds no more than the profile shows. */
export function describeQuery(query: HouseholdQuery): string {
  switch (query.kind) {
    case 'cnic':
      return `cnic ${maskCnic(query.cnic)}`;
    case 'phone':
      return `phone ${maskPhone(query.phone)}`;
    case 'reference':
      return `reference ${query.reference}`;
    case 'household':
      return `household ${query.householdId}`;
  }
}

/** Key lookups only (GetItem or a Query of one partition): a search never scans. */
export interface HouseholdFinder {
  householdIdOf(cnicHash: string): Promise<string | undefined>;
  /** The CNICs a phone has sent (its message records), newest first. */
  cnicHashesOfPhone(phone: string): Promise<string[]>;
  /** Whose a reference (web, SMS, top-up) or an appeal id is. */
  cnicHashOfReference(reference: string): Promise<string | undefined>;
  householdExists(householdId: string): Promise<boolean>;
}

export interface HouseholdSearchDeps {
  readonly finder: HouseholdFinder;
  readonly pepper: () => Promise<string>;
  readonly audit: Pick<AuditLog, 'append'>;
}

export interface HouseholdSearchResult {
  readonly query: HouseholdQuery;
  /** Household ids found, most likely first (a phone may have sent several households' CNICs). */
  readonly householdIds: readonly string[];
}

async function householdsOf(finder: HouseholdFinder, hashes: readonly string[]): Promise<string[]> {
  const ids = await Promise.all([...new Set(hashes)].map((h) => finder.householdIdOf(h)));
  return [...new Set(ids.filter((id): id is string => id !== undefined))];
}

/**
 * Finds households by CNIC, phone, reference or household id, and records the search in the ledger
 * (who looked up whom, with the query masked) before answering, found or not.
 */
export async function searchHouseholds(
  deps: HouseholdSearchDeps,
  actor: StaffActor,
  raw: string,
): Promise<HouseholdSearchResult> {
  const query = readHouseholdQuery(raw);
  if (!query) throw new ValidationError('Type a CNIC, a mobile number, a reference or a household id');
  const { finder } = deps;
  let householdIds: string[] = [];
  if (query.kind === 'cnic') {
    householdIds = await householdsOf(finder, [hashCnic(await deps.pepper(), query.cnic)]);
  } else if (query.kind === 'phone') {
    householdIds = await householdsOf(finder, await finder.cnicHashesOfPhone(query.phone));
  } else if (query.kind === 'reference') {
    const hash = await finder.cnicHashOfReference(query.reference);
    householdIds = hash ? await householdsOf(finder, [hash]) : [];
    // Eight letters and digits may also be a household id.
    const typed = raw.trim();
    if (householdIds.length === 0 && (await finder.householdExists(typed))) householdIds = [typed];
  } else if (await finder.householdExists(query.householdId)) {
    householdIds = [query.householdId];
  }
  await deps.audit.append({
    actor: actor.user,
    role: actor.role,
    action: 'household.search',
    subject: householdIds[0] ? `household/${householdIds[0]}` : 'household/none',
    after: { query: describeQuery(query), found: householdIds },
    // Each search is its own action: two identical searches are two entries.
    actionId: `household.search/${randomUUID()}`,
  });
  return { query, householdIds };
}
