/**
 * One plot per scenario, as hand-written SVG: requests the console answered
 * per minute over the week, the extension as it is (blue) and as it was
 * the baseline it is compared with (grey), each line the busiest minute of every
 * ten; an outage or an update rollout shaded. No dependency: polylines and text.
 */
import type { Measured } from './metrics';
import { DAY, MINUTE, WEEK, WEEK_START, type Scenario } from './scenarios';

const WIDTH = 960;
const HEIGHT = 300;
const LEFT = 56;
const RIGHT = 16;
const TOP = 40;
const BOTTOM = 40;
const BUCKET = 10;
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function plotScenario(scenario: Scenario, built: Measured, baseline: Measured | null, subtitle: string): string {
  const minutes = WEEK / MINUTE;
  const series = [
    baseline ? { values: envelope(baseline.series.answered), color: '#9aa0a6', label: 'baseline' } : null,
    { values: envelope(built.series.answered), color: '#1a73e8', label: 'as built' },
  ].filter((line): line is { values: number[]; color: string; label: string } => line !== null);
  const top = niceCeiling(Math.max(1, ...series.flatMap((line) => line.values)));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (minute: number) => LEFT + (minute / minutes) * plotWidth;
  const y = (value: number) => TOP + plotHeight - (value / top) * plotHeight;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
  );
  parts.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  parts.push(`<text x="${LEFT}" y="16" font-size="14" font-weight="bold">${escape(scenario.title)}</text>`);
  parts.push(`<text x="${LEFT}" y="32" fill="#5f6368">${escape(subtitle)}</text>`);
  const shade = (start: number, end: number, color: string, label: string) => {
    const from = x((start - WEEK_START) / MINUTE);
    const to = Math.max(from + 2, x((end - WEEK_START) / MINUTE));
    parts.push(`<rect x="${from.toFixed(1)}" y="${TOP}" width="${(to - from).toFixed(1)}" height="${plotHeight}" fill="${color}" fill-opacity="0.25"/>`);
    parts.push(`<text x="${(to + 3).toFixed(1)}" y="${TOP + 12}" fill="#5f6368">${escape(label)}</text>`);
  };
  for (const incident of scenario.incidents) shade(incident.start, incident.end, '#d93025', incident.kind === 'refused' ? 'console down' : 'HTTP 503');
  if (scenario.update) shade(scenario.update.start, scenario.update.end, '#f9ab00', 'update');
  for (let tick = 0; tick <= 4; tick++) {
    const value = (top / 4) * tick;
    parts.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#e8eaed"/>`);
    parts.push(`<text x="${LEFT - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end" fill="#5f6368">${value}</text>`);
  }
  for (let day = 0; day < 7; day++) {
    const left = x((day * DAY) / MINUTE);
    parts.push(`<line x1="${left.toFixed(1)}" x2="${left.toFixed(1)}" y1="${TOP}" y2="${TOP + plotHeight}" stroke="#dadce0"/>`);
    parts.push(`<text x="${(left + plotWidth / 14).toFixed(1)}" y="${HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="#5f6368">${DAYS[day]}</text>`);
  }
  parts.push(
    `<text x="14" y="${TOP + plotHeight / 2}" transform="rotate(-90 14 ${TOP + plotHeight / 2})" text-anchor="middle" fill="#5f6368">requests per minute</text>`,
  );
  for (const line of series) {
    const points = line.values.map((value, index) => `${x(index * BUCKET).toFixed(1)},${y(value).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${line.color}" stroke-width="1.2" points="${points}"/>`);
  }
  series.forEach((line, index) => {
    const left = WIDTH - RIGHT - 320 + index * 160;
    parts.push(`<line x1="${left}" x2="${left + 24}" y1="${HEIGHT - 10}" y2="${HEIGHT - 10}" stroke="${line.color}" stroke-width="3"/>`);
    parts.push(`<text x="${left + 30}" y="${HEIGHT - 6}">${escape(line.label)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** The busiest minute of every BUCKET minutes: a peak stays visible at 960 pixels for 10,080 minutes. */
function envelope(values: Int32Array): number[] {
  const out: number[] = [];
  for (let start = 0; start < values.length; start += BUCKET) {
    let top = 0;
    for (let minute = start; minute < Math.min(values.length, start + BUCKET); minute++) top = Math.max(top, values[minute] as number);
    out.push(top);
  }
  return out;
}

/** 1, 2 or 5 times a power of ten, at or above `value`: round axis labels. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
