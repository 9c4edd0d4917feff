/**
 * The simulation's agenda: events by time, and among events at the same time
 * in the order they were added, so a run never depends on the heap's layout.
 * A binary heap over parallel arrays (a week at 100,000 devices passes
 * millions of events through it, at most a few per device at a time).
 */
export class EventQueue<T> {
  private readonly times: number[] = [];
  private readonly orders: number[] = [];
  private readonly items: T[] = [];
  private added = 0;

  get size(): number {
    return this.items.length;
  }

  push(time: number, item: T): void {
    const order = this.added++;
    let at = this.items.length;
    this.times.push(time);
    this.orders.push(order);
    this.items.push(item);
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!earlier(time, order, this.times[parent] as number, this.orders[parent] as number)) break;
      this.move(parent, at);
      at = parent;
    }
    this.place(at, time, order, item);
  }

  /** The earliest event's time, or Infinity when none is left. */
  peekTime(): number {
    return this.items.length === 0 ? Number.POSITIVE_INFINITY : (this.times[0] as number);
  }

  pop(): T | undefined {
    if (this.items.length === 0) return undefined;
    const top = this.items[0] as T;
    // The last entry fills the hole at the top and sinks to its place.
    const time = this.times.pop() as number;
    const order = this.orders.pop() as number;
    const item = this.items.pop() as T;
    const size = this.items.length;
    if (size === 0) return top;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) break;
      const right = left + 1;
      const child =
        right < size && earlier(this.times[right] as number, this.orders[right] as number, this.times[left] as number, this.orders[left] as number)
          ? right
          : left;
      if (!earlier(this.times[child] as number, this.orders[child] as number, time, order)) break;
      this.move(child, at);
      at = child;
    }
    this.place(at, time, order, item);
    return top;
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from] as number;
    this.orders[to] = this.orders[from] as number;
    this.items[to] = this.items[from] as T;
  }

  private place(at: number, time: number, order: number, item: T): void {
    this.times[at] = time;
    this.orders[at] = order;
    this.items[at] = item;
  }
}

function earlier(time: number, order: number, otherTime: number, otherOrder: number): boolean {
  return time < otherTime || (time === otherTime && order < otherOrder);
}
