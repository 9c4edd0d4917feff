import { between, poisson } from './random';
import { at, DAY, MINUTE, WARM_UP, WEEK, WEEK_START, type FleetOptions, type Scenario } from './scenarios';

export type PlanStep = 'close' | 'open' | 'update';

/** What one device's browser does over the run, in time order: closes, starts, and the extension's update. */
export interface BrowserPlan {
  times: number[];
  steps: PlanStep[];
  /** Whether the browser runs when the run starts (the Saturday before the week). */
  runningAtStart: boolean;
  /** Closed over night and weekend: the browser's last close before the run (when not running at its start). */
  closedSince: number;
}

const SECOND = 1_000;

/**
 * A device's week. Every workday the browser starts between 08:00 and 09:00:
 * a restart for a browser that ran through the night (closed 10 s to 10 min
 * before), the day's first start for one closed the evening before (between
 * 17:00 and 19:00, and over the weekend). During the day it is restarted a
 * few more times (a Poisson count; closed 10 s to 2 min). An update reaches it
 * at a random moment of the rollout, or at its next start if closed then.
 */
export function browserPlan(random: () => number, fleet: FleetOptions, scenario: Scenario): BrowserPlan {
  const overnight = random() < fleet.offOvernight;
  const events: Array<[number, PlanStep]> = [];
  for (let day = 0; day < 5; day++) {
    const start = at(day, 8) + between(random, 0, 60) * MINUTE;
    if (!overnight) events.push([start - between(random, 10 * SECOND, 10 * MINUTE), 'close']);
    events.push([start, 'open']);
    const close = overnight ? at(day, 17) + between(random, 0, 120) * MINUTE : Number.POSITIVE_INFINITY;
    const restarts = poisson(random, fleet.restartsPerDay);
    const times = Array.from({ length: restarts }, () => at(day, 9) + between(random, 0, 9 * 60) * MINUTE).sort((a, b) => a - b);
    let free = start + MINUTE;
    for (const time of times) {
      const back = time + between(random, 10 * SECOND, 2 * MINUTE);
      if (time < free || back >= close) continue;
      events.push([time, 'close'], [back, 'open']);
      free = back + MINUTE;
    }
    if (overnight) events.push([close, 'close']);
  }
  if (scenario.update) events.push([between(random, scenario.update.start, scenario.update.end), 'update']);
  events.sort((a, b) => a[0] - b[0]);
  return {
    times: events.map(([time]) => time),
    steps: events.map(([, step]) => step),
    runningAtStart: !overnight,
    closedSince: overnight ? WEEK_START - 3 * DAY + 17 * 60 * MINUTE + between(random, 0, 120) * MINUTE : 0,
  };
}

/** The run: from the Saturday before the week to the Monday after it. */
export const RUN_START = WEEK_START - WARM_UP;
export const RUN_END = WEEK_START + WEEK;
