/**
 * A staff user id (the JWT `sub`) in the one form maker-checker compares: Unicode NFKC, then case
 * folded (upper then lower case, which folds `ß` to `ss` as full case folding does), then NFKC again,
 * trimmed. `Olivia`, `OLIVIA`, `ｏｌｉｖｉａ` (full width) and ` olivia` name the same person.
 */
export function normalizeStaffUserId(user: string): string {
  return user.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC').trim();
}

/** Whether two staff user ids name the same person (see {@link normalizeStaffUserId}). */
export function sameStaffUserId(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return normalizeStaffUserId(a) === normalizeStaffUserId(b);
}
