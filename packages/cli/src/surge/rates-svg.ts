import type { RateSeries } from './rates.js';

const WIDTH = 900;
const HEIGHT = 380;
const MARGIN = { left: 70, right: 20, top: 40, bottom: 50 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A round step for about `count` ticks over `max`: 1, 2 or 5 times a power of ten. */
function tickStep(max: number, count: number): number {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw) ?? raw;
}

/** A line chart of events per second over time, as a self-contained SVG document. */
export function ratesSvg(title: string, rates: RateSeries): string {
  const names = Object.keys(rates.series);
  const length = Math.max(1, ...names.map((n) => rates.series[n]?.length ?? 0));
  const seconds = length * rates.bucketSeconds;
  const peak = Math.max(1, ...names.flatMap((n) => rates.series[n] ?? []));
  const yStep = tickStep(peak, 5);
  const yMax = Math.ceil(peak / yStep) * yStep;
  const xStep = tickStep(seconds, 10);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (s: number) => MARGIN.left + (s / seconds) * plotW;
  const y = (v: number) => MARGIN.top + plotH - (v / yMax) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
  ];
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${Math.round(v).toLocaleString('en-US')}</text>`,
    );
  }
  for (let s = 0; s <= seconds + 1e-9; s += xStep) {
    parts.push(
      `<line x1="${x(s).toFixed(1)}" x2="${x(s).toFixed(1)}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 5}" stroke="#333"/>`,
      `<text x="${x(s).toFixed(1)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${Math.round(s)}</text>`,
    );
  }
  parts.push(
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle">seconds since the first message (buckets of ${rates.bucketSeconds} s)</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">per second</text>`,
  );
  for (const [i, name] of names.entries()) {
    const colour = COLOURS[i % COLOURS.length];
    const points = (rates.series[name] ?? [])
      .map((v, b) => `${x((b + 0.5) * rates.bucketSeconds).toFixed(1)},${y(v).toFixed(1)}`)
      .join(' ');
    parts.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points}"/>`,
      `<rect x="${MARGIN.left + 12 + i * 150}" y="${MARGIN.top + 6}" width="14" height="4" fill="${colour}"/>`,
      `<text x="${MARGIN.left + 32 + i * 150}" y="${MARGIN.top + 12}">${escapeXml(name)}</text>`,
    );
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
