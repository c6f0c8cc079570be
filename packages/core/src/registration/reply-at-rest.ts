import { formatCnic, maskCnic, normalizeCnic } from '../intake/cnic.js';

/**
 * A registration's reply (and notice) quotes the household's own CNIC in its instructions
 * (`STATUS 35202-1234567-1`). At rest, in the registration record, that CNIC is masked the way logs
 * mask it (`35***-*******-1`): the raw CNIC is stored only where a payment file needs it (DESIGN.md,
 * docs/privacy.md), and staff reading stored texts (outbound listing, household profile) see it masked.
 * The masked form is as long as the formatted one and GSM-7 alike, so segment counts read from a
 * record hold. The SMS itself carries the real CNIC: a redelivered message has its parsed CNIC, and
 * `inFlight` puts it back, so the reply queued again is byte for byte the first.
 */
export function atRest<T extends { readonly text: string }>(sms: T, cnic: string | undefined): T {
  const forms = formsOf(cnic);
  return forms ? { ...sms, text: sms.text.replaceAll(forms.formatted, forms.masked) } : sms;
}

/** The stored text with the message's own CNIC put back: what was first sent to the phone. */
export function inFlight<T extends { readonly text: string }>(sms: T, cnic: string | undefined): T {
  const forms = formsOf(cnic);
  return forms ? { ...sms, text: sms.text.replaceAll(forms.masked, forms.formatted) } : sms;
}

function formsOf(cnic: string | undefined): { formatted: string; masked: string } | undefined {
  const normalized = cnic === undefined ? undefined : normalizeCnic(cnic);
  if (!normalized?.ok) return undefined;
  return { formatted: formatCnic(normalized.cnic), masked: maskCnic(normalized.cnic) };
}
