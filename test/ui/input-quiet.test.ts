import { afterEach, describe, expect, it, vi } from 'vitest';
import { INPUT_QUIET_MS, watchInput, whenInputQuiet } from '../../src/ui/common/input-quiet';

describe('work that waits while the user types', () => {
  let stop = () => {};
  afterEach(() => {
    stop();
    vi.useRealTimers();
  });

  it('runs at once where the page does not watch its input', () => {
    const apply = vi.fn();
    whenInputQuiet(apply);
    expect(apply).toHaveBeenCalledTimes(1);
  });

  it('runs at once when the last key is long past, and waits out a recent one', () => {
    vi.useFakeTimers();
    let clock = 1_000;
    const target = new EventTarget();
    stop = watchInput(target, () => clock);
    expect(whenInputQuiet(vi.fn())).toBeTypeOf('function');
    target.dispatchEvent(new Event('keydown'));
    clock += INPUT_QUIET_MS + 1;
    const late = vi.fn();
    whenInputQuiet(late);
    expect(late).toHaveBeenCalledTimes(1);

    target.dispatchEvent(new Event('keydown'));
    const waiting = vi.fn();
    whenInputQuiet(waiting);
    clock += 100;
    vi.advanceTimersByTime(100);
    expect(waiting).not.toHaveBeenCalled();
    clock += INPUT_QUIET_MS - 100;
    vi.advanceTimersByTime(INPUT_QUIET_MS - 100);
    expect(waiting).toHaveBeenCalledTimes(1);
  });

  it('keeps waiting while keys, input and clicks go on, and runs once after the last', () => {
    vi.useFakeTimers();
    let clock = 0;
    const target = new EventTarget();
    stop = watchInput(target, () => clock);
    target.dispatchEvent(new Event('input'));
    const apply = vi.fn();
    whenInputQuiet(apply);
    for (const type of ['keydown', 'input', 'pointerdown', 'keydown']) {
      clock += INPUT_QUIET_MS - 50;
      vi.advanceTimersByTime(INPUT_QUIET_MS - 50);
      target.dispatchEvent(new Event(type));
    }
    expect(apply).not.toHaveBeenCalled();
    clock += INPUT_QUIET_MS;
    vi.advanceTimersByTime(INPUT_QUIET_MS);
    expect(apply).toHaveBeenCalledTimes(1);
  });

  it('runs nothing once cancelled', () => {
    vi.useFakeTimers();
    let clock = 0;
    const target = new EventTarget();
    stop = watchInput(target, () => clock);
    target.dispatchEvent(new Event('keydown'));
    const apply = vi.fn();
    const cancel = whenInputQuiet(apply);
    cancel();
    clock += INPUT_QUIET_MS * 2;
    vi.advanceTimersByTime(INPUT_QUIET_MS * 2);
    expect(apply).not.toHaveBeenCalled();
  });
});
