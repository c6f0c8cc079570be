/**
 * Whose a reference is: written when a reference is first sent to a phone tied to the household
 * (a web registration's own `W` reference is found by its record instead), so the status page and
 * `GET /api/v1/registrations/{reference}` accept every reference the system has sent.
 */
export interface ReferenceEntry {
  readonly reference: string;
  readonly cnicHash: string;
  readonly campaignId: string;
}

export interface ReferenceIndex {
  /** Idempotent: the same entry twice is one entry. */
  put(entries: readonly ReferenceEntry[]): Promise<void>;
  get(reference: string): Promise<ReferenceEntry | undefined>;
}

/** A reference as a person may type it: O read as 0, I and L as 1, spaces and dashes dropped. */
export function readReference(raw: string): string {
  return raw.replace(/[\s-]/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** The shape of every reference the system sends: web (`W` + 7) and SMS or top-up, 8 base32 characters. */
export const REFERENCE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{8}$/;
