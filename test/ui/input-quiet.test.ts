import { afterEach, describe, expect, it, vi } from 'vitest';
import { INPUT_QUIET_MS, watchInput, whenInputQuiet } from '../../src/ui/common/input-quiet';

describe('work that waits while the user types', () => {
  let stop = () => {};
  afterEach(() => {
    stop();
    vi.useRealTimers();
  });

  /** A page that watches its input on a clock of its own, and `pass`, which moves that clock and the timers together. */
  function watched(start = 0) {
    vi.useFakeTimers();
    let clock = start;
    const target = new EventTarget();
    stop = watchInput(target, () => clock);
    const pass = (ms: number) => {
      clock += ms;
      vi.advanceTimersByTime(ms);
    };
    return { target, pass };
  }

  it('runs at once where the page does not watch its input', () => {
    const apply = vi.fn();
    whenInputQuiet(apply);
    expect(apply).toHaveBeenCalledTimes(1);
  });

  it('runs at once when the last key is long past, and waits out a recent one', () => {
    const { target, pass } = watched(1_000);
    expect(whenInputQuiet(vi.fn())).toBeTypeOf('function');
    target.dispatchEvent(new Event('keydown'));
    pass(INPUT_QUIET_MS + 1);
    const late = vi.fn();
    whenInputQuiet(late);
    expect(late).toHaveBeenCalledTimes(1);

    target.dispatchEvent(new Event('keydown'));
    const waiting = vi.fn();
    whenInputQuiet(waiting);
    pass(100);
    expect(waiting).not.toHaveBeenCalled();
    pass(INPUT_QUIET_MS - 100);
    expect(waiting).toHaveBeenCalledTimes(1);
  });

  it('keeps waiting while keys, input and clicks go on, and runs once after the last', () => {
    const { target, pass } = watched();
    target.dispatchEvent(new Event('input'));
    const apply = vi.fn();
    whenInputQuiet(apply);
    for (const type of ['keydown', 'input', 'pointerdown', 'keydown']) {
      pass(INPUT_QUIET_MS - 50);
      target.dispatchEvent(new Event(type));
    }
    expect(apply).not.toHaveBeenCalled();
    pass(INPUT_QUIET_MS);
    expect(apply).toHaveBeenCalledTimes(1);
  });

  it('runs nothing once cancelled', () => {
    const { target, pass } = watched();
    target.dispatchEvent(new Event('keydown'));
    const apply = vi.fn();
    const cancel = whenInputQuiet(apply);
    cancel();
    pass(INPUT_QUIET_MS * 2);
    expect(apply).not.toHaveBeenCalled();
  });
});
