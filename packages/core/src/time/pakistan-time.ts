/**
 * Pakistan Standard Time (UTC+5, no daylight saving): the one clock every page, reply and console
 * shows. Stored times stay ISO 8601 UTC; only what a person reads is in PKT.
 */
export const PAKISTAN_TIME_ZONE = 'Asia/Karachi';

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: PAKISTAN_TIME_ZONE,
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const DATE_ONLY = new Intl.DateTimeFormat('en-GB', {
  timeZone: PAKISTAN_TIME_ZONE,
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

function parts(format: Intl.DateTimeFormat, value: Date | string): Record<string, string> {
  const date = typeof value === 'string' ? new Date(value) : value;
  return Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
}

/** `7 Dec 2026, 14:05 PKT`: the form of every date and time a person reads. */
export function formatPakistanTime(value: Date | string): string {
  const p = parts(DATE_TIME, value);
  return `${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} PKT`;
}

/** `7 Dec 2026`: a date alone, in Pakistan (a UTC evening is already the next day there). */
export function formatPakistanDate(value: Date | string): string {
  const p = parts(DATE_ONLY, value);
  return `${p.day} ${p.month} ${p.year}`;
}
