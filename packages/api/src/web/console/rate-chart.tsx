/** @jsxImportSource hono/jsx */
import { formatPakistanTime } from '@madad/core';

export interface MinutePoint {
  /** `YYYY-MM-DDTHH:MM` (UTC): the counters' key; shown in Pakistan time. */
  readonly minute: string;
  readonly count: number;
}

/** Every minute from `from` to `to`, zero where nothing was counted. */
export function fillMinutes(counts: readonly MinutePoint[], from: Date, to: Date): MinutePoint[] {
  const byMinute = new Map(counts.map((p) => [p.minute, p.count]));
  const points: MinutePoint[] = [];
  const start = Math.floor(from.getTime() / 60_000);
  const end = Math.floor(to.getTime() / 60_000);
  for (let m = start; m <= end; m++) {
    const minute = new Date(m * 60_000).toISOString().slice(0, 16);
    points.push({ minute, count: byMinute.get(minute) ?? 0 });
  }
  return points;
}

/** A minute key as staff read it: `7 Dec 2026, 14:05 PKT`. */
const shown = (minute: string) => formatPakistanTime(`${minute}:00Z`);

const W = 900;
const H = 160;
const PAD = { left: 40, right: 8, top: 12, bottom: 24 };

/** Registrations per minute as an inline SVG bar chart: no script, no library, readable when printed. */
export function RateChart({ points }: { points: readonly MinutePoint[] }) {
  const max = Math.max(1, ...points.map((p) => p.count));
  const total = points.reduce((sum, p) => sum + p.count, 0);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, points.length);
  const label = `Registrations per minute, last ${points.length} minutes: ${total} in all, at most ${max} in a minute`;
  const [firstPoint, lastPoint] = [points[0], points.at(-1)];
  const first = firstPoint ? shown(firstPoint.minute) : '';
  const last = lastPoint ? shown(lastPoint.minute) : '';
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={label}
      id="rate-chart"
      data-total={total}
    >
      <title>{label}</title>
      <line x1={PAD.left} y1={PAD.top + plotH} x2={W - PAD.right} y2={PAD.top + plotH} stroke="#7a857a" />
      <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={PAD.top + plotH} stroke="#7a857a" />
      <text x={PAD.left - 4} y={PAD.top + 10} font-size="11" text-anchor="end" fill="#4a544a">
        {max}
      </text>
      <text x={PAD.left - 4} y={PAD.top + plotH} font-size="11" text-anchor="end" fill="#4a544a">
        0
      </text>
      {points.map((p, i) => {
        const h = (p.count / max) * plotH;
        return p.count > 0 ? (
          <rect
            x={(PAD.left + i * step + 1).toFixed(1)}
            y={(PAD.top + plotH - h).toFixed(1)}
            width={Math.max(1, step - 2).toFixed(1)}
            height={h.toFixed(1)}
            fill="#0b5c3b"
          >
            <title>{`${shown(p.minute)}: ${p.count}`}</title>
          </rect>
        ) : null;
      })}
      <text x={PAD.left} y={H - 6} font-size="11" fill="#4a544a">
        {first}
      </text>
      <text x={W - PAD.right} y={H - 6} font-size="11" text-anchor="end" fill="#4a544a">
        {last}
      </text>
    </svg>
  );
}
