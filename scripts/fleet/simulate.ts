/**
 * One scenario, one fleet, one way of behaving, in virtual time: a
 * discrete-event simulation of every device's browser (starts, restarts, the
 * extension's update), its sync alarm and its syncs. What a device decides is
 * decided by the product's own functions — syncAlarmAt, alarmSyncsNow,
 * sessionWorthTrying, and the sync schedule under them (nextSyncAt,
 * nextSyncDelay) — on a real SyncState; what a sync sends is what the real
 * client sent for that kind of sync (calibrate.ts). Randomness comes from one
 * seeded source, so a seed gives the same numbers every time.
 */
import { nextSyncAt } from '../../src/sync/schedule';
import { syncSettings, type SyncSettings } from '../../src/sync/settings';
import { createInitialState, type LastGood, type SyncState } from '../../src/sync/state';
import { alarmSyncsNow, MIN_ALARM_DELAY_MS, sessionWorthTrying, syncAlarmAt } from '../../src/sync/triggers';
import { browserPlan, RUN_END, RUN_START, type BrowserPlan } from './browser-plan';
import type { Calibration, Condition } from './calibrate';
import { EventQueue } from './event-queue';
import { Recorder, type Measured } from './metrics';
import { between, seededRandom } from './random';
import { MINUTE, type FleetOptions, type Scenario } from './scenarios';

/** The behaviours measured, each on its own: all on is the extension as built, all off the baseline it is compared with. */
export interface Changes {
  /** A browser start, an install or an update syncs only when the schedule says one is due (the baseline: always, at once). */
  startWhenDue: boolean;
  /** A sync found due then, and a late alarm, run at a random moment within DUE_SPREAD_MS (the baseline: at once). */
  spread: boolean;
  /** A sign-in is checked by the call it is for (the baseline: a GET user/ping of its own). */
  oneRequestSignIn: boolean;
  /** Form login tries the browser's session soon after a success (the baseline: always a fresh sign-in). */
  sessionReuse: boolean;
  /** With rules held, the first retry after a failure comes after a third of the interval (the baseline: after 5 minutes, as with none). */
  heldRetry: boolean;
}

export const BASELINE: Changes = { startWhenDue: false, spread: false, oneRequestSignIn: false, sessionReuse: false, heldRetry: false };
export const AS_BUILT: Changes = { startWhenDue: true, spread: true, oneRequestSignIn: true, sessionReuse: true, heldRetry: true };

interface Device {
  state: SyncState;
  plan: BrowserPlan;
  next: number;
  running: boolean;
  closedAt: number;
  alarmAt: number | null;
  busyUntil: number;
  /** The browser holds the console's session cookie (gone at a restart), which the console keeps until sessionUntil. */
  cookie: boolean;
  sessionUntil: number;
  lastSuccess: number;
  /** Time the browser was closed since the last success: rules are not in use, and cannot be synced, then. */
  closedSinceSuccess: number;
  /** The console failed (an incident) since the last success. */
  incidentSinceSuccess: boolean;
  /** A sync of this device failed in the current or last incident and none has succeeded since. */
  failedInIncident: boolean;
  /** The extension was updated while the browser was closed: the update takes effect at its next start. */
  pendingUpdate: boolean;
}

const ALARM = 0;
const PLAN = 1;
const INCIDENT_START = 2;
const KINDS = 3;

/** A profile as held: only whether rules are held matters to the schedule. */
const HELD: LastGood = { profile: { id: 'p', name: null, stamp: 's', description: null }, rules: [], fetchedAt: '', confirmedAt: '' };

export function simulate(fleet: FleetOptions, scenario: Scenario, changes: Changes, calibration: Calibration): Measured {
  const random = seededRandom(fleet.seed);
  const settings: SyncSettings = syncSettings({ intervalMinutes: fleet.intervalMinutes });
  const interval = fleet.intervalMinutes * MINUTE;
  const sessionMs = fleet.sessionMinutes * MINUTE;
  const recorder = new Recorder(fleet, scenario);
  const queue = new EventQueue<number>();
  const iso = (time: number) => new Date(time).toISOString();

  const devices: Device[] = [];
  for (let id = 0; id < fleet.devices; id++) {
    const plan = browserPlan(random, fleet, scenario);
    const state = createInitialState(random);
    // In its usual state: synced some time within its interval before it was last seen running.
    const seen = plan.runningAtStart ? RUN_START : plan.closedSince;
    const last = seen - between(random, 0, interval * (1 + state.installOffset));
    Object.assign(state, { lastGood: HELD, lastAttemptAt: iso(last), lastSuccessAt: iso(last) });
    const device: Device = {
      state,
      plan,
      next: 0,
      running: plan.runningAtStart,
      closedAt: plan.runningAtStart ? 0 : plan.closedSince,
      alarmAt: null,
      busyUntil: 0,
      cookie: false,
      sessionUntil: 0,
      lastSuccess: last,
      closedSinceSuccess: 0,
      incidentSinceSuccess: false,
      failedInIncident: false,
      pendingUpdate: false,
    };
    devices.push(device);
    setAlarm(id, alarmTime(state, seen));
    if (plan.times.length > 0) queue.push(plan.times[0] as number, id * KINDS + PLAN);
  }
  for (const incident of scenario.incidents) queue.push(incident.start, INCIDENT_START);

  function conditionAt(time: number): Condition {
    for (const incident of scenario.incidents) if (time >= incident.start && time < incident.end) return incident.kind;
    return 'ok';
  }

  /** When the alarm goes after a sync or a start (SyncController.schedule). */
  function alarmTime(state: SyncState, now: number): number {
    if (changes.spread && changes.heldRetry) return syncAlarmAt(state, settings, random, now);
    // With a change off, the baseline's rule over the same schedule: its 5-minute first retry is the one for no rules held.
    const due = nextSyncAt(changes.heldRetry ? state : { ...state, lastGood: null }, settings, random, now);
    if (!changes.spread || due > now) return Math.round(Math.max(due, now + MIN_ALARM_DELAY_MS));
    return syncAlarmAt({ ...state, lastAttemptAt: null }, settings, random, now);
  }

  function setAlarm(id: number, time: number): void {
    (devices[id] as Device).alarmAt = time;
    queue.push(time, id * KINDS + ALARM);
  }

  function sync(id: number, now: number): void {
    const device = devices[id] as Device;
    if (device.busyUntil > now) return; // single-flight: a second trigger joins the running sync
    const condition = conditionAt(now);
    const tried = changes.sessionReuse && fleet.auth === 'form' && sessionWorthTrying(device.state, now);
    const live = device.cookie && device.sessionUntil > now;
    const cost = calibration.cost({ confirmSignIn: !changes.oneRequestSignIn, auth: fleet.auth, tried, live, condition });
    let time = now;
    for (const request of cost.requests) {
      recorder.request(time, request);
      if (!request.refused) time += scenario.answerMs;
    }
    recorder.sync(now);
    device.busyUntil = time;
    const state = device.state;
    if (cost.ok) {
      recorder.success(time, time - device.lastSuccess - device.closedSinceSuccess, device.incidentSinceSuccess, device.failedInIncident);
      Object.assign(state, { consecutiveFailures: 0, lastError: null, lastAttemptAt: iso(time), lastSuccessAt: iso(time) });
      device.lastSuccess = time;
      device.closedSinceSuccess = 0;
      device.incidentSinceSuccess = false;
      device.failedInIncident = false;
      device.cookie = true;
      device.sessionUntil = time + sessionMs;
    } else {
      Object.assign(state, { consecutiveFailures: state.consecutiveFailures + 1, lastError: { ...cost.error, at: iso(time) }, lastAttemptAt: iso(time) });
      if (condition !== 'ok') device.failedInIncident = true;
    }
    setAlarm(id, alarmTime(state, time));
  }

  /** The sync alarm fires (on time, or when the browser comes back). */
  function alarm(id: number, now: number, scheduled: number): void {
    const device = devices[id] as Device;
    device.alarmAt = null;
    if (!changes.spread || alarmSyncsNow(scheduled, now)) sync(id, now);
    else setAlarm(id, alarmTime(device.state, now));
  }

  /** runtime.onStartup or onInstalled: the alarm as the schedule says (SyncController.onStartOrInstall); the baseline syncs at once. */
  function started(id: number, now: number): void {
    const device = devices[id] as Device;
    if (!changes.startWhenDue) sync(id, now);
    else if (device.busyUntil <= now) setAlarm(id, alarmTime(device.state, now));
  }

  function open(id: number, now: number, updated: boolean): void {
    const device = devices[id] as Device;
    device.running = true;
    device.closedSinceSuccess += now - device.closedAt;
    // The console's cookie lives for the browser's session only.
    device.cookie = false;
    // An update clears the alarms; the new worker's start sets one (Background.ensureSyncAlarm).
    if (updated) setAlarm(id, alarmTime(device.state, now));
    else if (device.alarmAt !== null && device.alarmAt <= now) alarm(id, now, device.alarmAt);
    started(id, now);
  }

  function plan(id: number, now: number): void {
    const device = devices[id] as Device;
    const step = device.plan.steps[device.next];
    device.next++;
    if (device.next < device.plan.times.length) queue.push(device.plan.times[device.next] as number, id * KINDS + PLAN);
    if (step === 'close') {
      device.running = false;
      device.closedAt = now;
    } else if (step === 'open') {
      open(id, now, device.pendingUpdate);
      device.pendingUpdate = false;
    } else if (device.running) {
      // The update while it runs: the alarm is cleared, the new worker sets it again, then onInstalled.
      setAlarm(id, alarmTime(device.state, now));
      started(id, now);
    } else device.pendingUpdate = true;
  }

  while (queue.size > 0 && queue.peekTime() < RUN_END) {
    const now = queue.peekTime();
    const event = queue.pop() as number;
    if (event === INCIDENT_START) {
      for (const device of devices) device.incidentSinceSuccess = true;
      continue;
    }
    const id = Math.floor(event / KINDS);
    const kind = event % KINDS;
    const device = devices[id] as Device;
    if (kind === PLAN) plan(id, now);
    else if (device.alarmAt === now && device.running) alarm(id, now, now);
  }
  for (const device of devices) {
    const closed = device.closedSinceSuccess + (device.running ? 0 : RUN_END - device.closedAt);
    recorder.end(RUN_END - device.lastSuccess - closed, device.incidentSinceSuccess, device.failedInIncident);
  }
  return recorder.result();
}
