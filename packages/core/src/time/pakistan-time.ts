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

const LOCAL_INPUT = new Intl.DateTimeFormat('en-GB', {
  timeZone: PAKISTAN_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `2026-12-07T14:05`: the value of a `datetime-local` form field that is read as Pakistan time. */
export function toPakistanLocalInput(value: Date | string): string {
  const p = parts(LOCAL_INPUT, value);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/**
 * The instant a Pakistan-time `datetime-local` value names, as ISO 8601 with its offset
 * (`2026-12-07T14:05` is `2026-12-07T14:05:00+05:00`); any other text is returned unchanged, for
 * the schema to refuse. Pakistan keeps UTC+5 all year (no daylight saving).
 */
export function fromPakistanLocalInput(local: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00+05:00` : local;
}

const CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: PAKISTAN_TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `14:05:09 PKT`: the time of day alone, for a live page that refreshes every few seconds. */
export function formatPakistanClock(value: Date | string): string {
  const p = parts(CLOCK, value);
  return `${p.hour}:${p.minute}:${p.second} PKT`;
}
