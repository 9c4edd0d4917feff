import type { RequestKind, SentRequest } from './calibrate';
import { DAY, MINUTE, WEEK, WEEK_START, type FleetOptions, type Scenario } from './scenarios';

const MINUTES = WEEK / MINUTE;
const DAYS = WEEK / DAY;

/** What the console saw over the measured week, and how stale the fleet's rules got. */
export interface Measured {
  /** Syncs run (successful or not). */
  syncs: number;
  /** What the interval alone asks for: devices × week ÷ interval. */
  floorSyncs: number;
  /** Requests the console answered (a refused connection is not one). */
  requests: number;
  /** Connections refused while the console was down. */
  refusedRequests: number;
  requestsByKind: Record<RequestKind, number>;
  avgRps: number;
  avgMinuteRequests: number;
  peakMinuteRequests: number;
  /** The busiest minute from the end of an incident to the end of the week, the syncs it put in step included (null: no incident). */
  recoveryPeakMinuteRequests: number | null;
  /** From an incident's end until every device whose sync failed in it has synced (null: no incident). */
  recoveryMinutes: number | null;
  /** Devices still not synced again at the end of the week after failing in an incident. */
  unrecoveredDevices: number;
  /**
   * The oldest rules any device ran on, counted while its browser ran, over
   * stretches with no incident (an incident's effect is recoveryMinutes).
   */
  maxStaleMinutes: number;
  loginsPerSync: number;
  /** Requests sent (answered or refused) per sync. */
  requestsPerSync: number;
  /** Bytes of profile answers, and of all answers. */
  profileBytes: number;
  bytes: number;
  perDay: { requests: number; logins: number; bytes: number; syncs: number };
  /** Requests answered in each minute of the week, and connections refused. */
  series: { answered: Int32Array; refused: Int32Array; logins: Int32Array };
}

/** Counts what the simulation reports, for the measured week only. */
export class Recorder {
  private readonly answered = new Int32Array(MINUTES);
  private readonly refused = new Int32Array(MINUTES);
  private readonly logins = new Int32Array(MINUTES);
  private readonly byKind: Record<RequestKind, number> = { login: 0, ping: 0, default: 0, profile: 0 };
  private syncs = 0;
  private sent = 0;
  private bytes = 0;
  private profileBytes = 0;
  private maxStale = 0;
  private recovery: number | null = null;
  private unrecovered = 0;

  constructor(
    private readonly fleet: FleetOptions,
    private readonly scenario: Scenario,
  ) {}

  request(time: number, request: SentRequest): void {
    const minute = minuteOf(time);
    if (minute === null) return;
    this.sent++;
    if (request.refused) {
      add(this.refused, minute);
      return;
    }
    add(this.answered, minute);
    this.byKind[request.kind]++;
    if (request.kind === 'login') add(this.logins, minute);
    this.bytes += request.bytes;
    if (request.kind === 'profile') this.profileBytes += request.bytes;
  }

  sync(time: number): void {
    if (minuteOf(time) !== null) this.syncs++;
  }

  /** A device synced at `time`; `staleMs` is how long its rules were in use unrenewed before. */
  success(time: number, staleMs: number, incidentBefore: boolean, failedInIncident: boolean): void {
    if (minuteOf(time) === null) return;
    if (!incidentBefore) this.maxStale = Math.max(this.maxStale, staleMs);
    if (failedInIncident) {
      const end = this.incidentEndBefore(time);
      if (end !== null) this.recovery = Math.max(this.recovery ?? 0, time - end);
    }
  }

  /** A device at the end of the week: its rules' age then. */
  end(staleMs: number, incidentBefore: boolean, failedInIncident: boolean): void {
    if (!incidentBefore) this.maxStale = Math.max(this.maxStale, staleMs);
    if (failedInIncident) this.unrecovered++;
  }

  result(): Measured {
    const interval = this.fleet.intervalMinutes;
    const requests = sum(this.answered);
    const ends = this.scenario.incidents.map((incident) => minuteIndex(incident.end));
    const recoveryPeak = ends.length ? max(this.answered.subarray(Math.min(...ends))) : null;
    const logins = this.byKind.login;
    return {
      syncs: this.syncs,
      floorSyncs: Math.round((this.fleet.devices * MINUTES) / interval),
      requests,
      refusedRequests: sum(this.refused),
      requestsByKind: { ...this.byKind },
      avgRps: round(requests / (MINUTES * 60), 3),
      avgMinuteRequests: round(requests / MINUTES, 1),
      peakMinuteRequests: max(this.answered),
      recoveryPeakMinuteRequests: recoveryPeak,
      recoveryMinutes: ends.length ? round((this.recovery ?? 0) / MINUTE, 1) : null,
      unrecoveredDevices: this.unrecovered,
      maxStaleMinutes: round(this.maxStale / MINUTE, 1),
      loginsPerSync: round(logins / Math.max(1, this.syncs), 3),
      requestsPerSync: round(this.sent / Math.max(1, this.syncs), 3),
      profileBytes: this.profileBytes,
      bytes: this.bytes,
      perDay: {
        requests: Math.round(requests / DAYS),
        logins: Math.round(logins / DAYS),
        bytes: Math.round(this.bytes / DAYS),
        syncs: Math.round(this.syncs / DAYS),
      },
      series: { answered: this.answered, refused: this.refused, logins: this.logins },
    };
  }

  private incidentEndBefore(time: number): number | null {
    let end: number | null = null;
    for (const incident of this.scenario.incidents) if (incident.end <= time && (end === null || incident.end > end)) end = incident.end;
    return end;
  }
}

/** The minute of the measured week, or null outside it. */
function minuteOf(time: number): number | null {
  const minute = Math.floor((time - WEEK_START) / MINUTE);
  return minute >= 0 && minute < MINUTES ? minute : null;
}

const minuteIndex = (time: number) => Math.floor((time - WEEK_START) / MINUTE);
const add = (series: Int32Array, minute: number) => {
  series[minute] = (series[minute] ?? 0) + 1;
};
const sum = (values: Int32Array) => values.reduce((total, value) => total + value, 0);
const max = (values: Int32Array) => values.reduce((top, value) => Math.max(top, value), 0);
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
