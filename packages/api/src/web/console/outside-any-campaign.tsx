/** @jsxImportSource hono/jsx */
import { formatCount } from '../i18n.js';

/**
 * Decisions outside any campaign (phones over their limit, CNICs the ID authority did not confirm,
 * registrations with no campaign open for them): one global figure, shown once on the campaign list,
 * never inside a campaign's own figures.
 */
export function OutsideAnyCampaign({ counters }: { counters: Readonly<Record<string, number>> }) {
  const by = (status: string) => counters[`status:${status}`] ?? 0;
  return (
    <p class="muted" id="outside-any-campaign">
      Outside any campaign: <strong id="outside-decided">{formatCount(counters.decided ?? 0)}</strong>{' '}
      decisions (rate-limited {formatCount(by('RATE_LIMITED'))}, identity not confirmed{' '}
      {formatCount(by('IDENTITY_MISMATCH'))}, pending verification with no campaign to count under{' '}
      {formatCount(by('PENDING_VERIFICATION'))}, other {formatCount(otherThan(counters))}).
    </p>
  );
}

function otherThan(counters: Readonly<Record<string, number>>): number {
  const named = ['RATE_LIMITED', 'IDENTITY_MISMATCH', 'PENDING_VERIFICATION'].reduce(
    (sum, s) => sum + (counters[`status:${s}`] ?? 0),
    0,
  );
  return Math.max(0, (counters.decided ?? 0) - named);
}
