import type { Measured } from './metrics';
import type { FleetOptions, Scenario } from './scenarios';

export interface TargetCheck {
  target: string;
  value: number;
  limit: number;
  holds: boolean;
}

/**
 * The targets for one scenario (they are set for 10,000 devices at a
 * 180-minute interval, and checked at any size). `week` is the work week with
 * nothing happening: its busiest minute is the normal busiest minute an
 * incident's recovery is held against.
 */
export function checkTargets(fleet: FleetOptions, scenario: Scenario, measured: Measured, week: Measured): TargetCheck[] {
  const check = (target: string, value: number, limit: number): TargetCheck => ({ target, value, limit: round(limit), holds: value <= limit });
  const checks = [
    check('syncs ≤ 1.1 × floorSyncs', measured.syncs, 1.1 * measured.floorSyncs),
    check('maxStaleMinutes ≤ interval + 30', measured.maxStaleMinutes, fleet.intervalMinutes + 30),
    check('loginsPerSync ≤ 1', measured.loginsPerSync, 1),
    check(`requestsPerSync ≤ ${fleet.auth === 'form' ? 3 : 2} (${fleet.auth})`, measured.requestsPerSync, fleet.auth === 'form' ? 3 : 2),
  ];
  if (scenario.incidents.length === 0)
    checks.push(check('peakMinuteRequests ≤ 3 × avgMinuteRequests', measured.peakMinuteRequests, 3 * measured.avgMinuteRequests));
  else
    checks.push(
      check('recoveryPeakMinuteRequests ≤ 2 × the work week’s peakMinuteRequests', measured.recoveryPeakMinuteRequests ?? 0, 2 * week.peakMinuteRequests),
    );
  return checks;
}

const round = (value: number) => Math.round(value * 100) / 100;
