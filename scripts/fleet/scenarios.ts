import type { AuthMode } from './calibrate';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** The measured week starts on a Monday at 00:00 (UTC stands for the fleet's local time). */
export const WEEK_START = Date.UTC(2026, 2, 2);
export const WEEK = 7 * DAY;
/** Simulated before the week (Saturday and Sunday), so the week starts from a fleet in its usual state. */
export const WARM_UP = 2 * DAY;

/** A time of the measured week: day 0 is Monday. */
export const at = (day: number, hours: number, minutes = 0) => WEEK_START + day * DAY + hours * HOUR + minutes * MINUTE;

/** A stretch of time in which the console does not answer normally. */
export interface Incident {
  start: number;
  end: number;
  /** `refused`: the connection is refused (the console is down); `unavailable`: HTTP 503 with Retry-After: 120. */
  kind: 'refused' | 'unavailable';
}

export interface Scenario {
  name: string;
  title: string;
  incidents: Incident[];
  /** Every device gets an extension update at a random moment in this stretch (null: none). */
  update: { start: number; end: number } | null;
  /** How long the console takes to answer one request. */
  answerMs: number;
}

/** The fleet and its console: the same for every scenario of one run. */
export interface FleetOptions {
  devices: number;
  intervalMinutes: number;
  auth: AuthMode;
  seed: number;
  /** Rules in the default profile (its size is what the profile answer weighs). */
  rules: number;
  /** How long the console keeps an idle session. */
  sessionMinutes: number;
  /** The share of browsers closed from the evening to the next workday morning (and over the weekend); the others run all week. */
  offOvernight: number;
  /** Restarts per device and workday besides the morning one (a Poisson mean). */
  restartsPerDay: number;
}

export const DEFAULT_FLEET: FleetOptions = {
  devices: 10_000,
  intervalMinutes: 180,
  auth: 'form',
  seed: 1,
  rules: 50,
  sessionMinutes: 30,
  offOvernight: 0,
  restartsPerDay: 2,
};

const NORMAL_ANSWER_MS = 100;

/** The scenarios of the issue, each a work week with one thing happening on a weekday morning. */
export const SCENARIOS: readonly Scenario[] = [
  { name: 'week', title: 'A work week', incidents: [], update: null, answerMs: NORMAL_ANSWER_MS },
  {
    name: 'update',
    title: 'An extension update reaches the fleet within an hour (Tuesday 10:00–11:00)',
    incidents: [],
    update: { start: at(1, 10), end: at(1, 11) },
    answerMs: NORMAL_ANSWER_MS,
  },
  {
    name: 'outage',
    title: 'The console is down for 2 hours, connections refused (Wednesday 10:00–12:00)',
    incidents: [{ start: at(2, 10), end: at(2, 12), kind: 'refused' }],
    update: null,
    answerMs: NORMAL_ANSWER_MS,
  },
  {
    name: 'unavailable',
    title: 'The console answers HTTP 503 with Retry-After: 120 for 30 minutes (Thursday 10:00–10:30)',
    incidents: [{ start: at(3, 10), end: at(3, 10, 30), kind: 'unavailable' }],
    update: null,
    answerMs: NORMAL_ANSWER_MS,
  },
  { name: 'slow', title: 'The console takes 5 s to answer each request, all week', incidents: [], update: null, answerMs: 5_000 },
];
