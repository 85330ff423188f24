// Timers the test advances by hand: a sink's intervals and backoffs run when the test says so.
import type { Timers } from "../../../src/runtime/sdk/send-queue.js";

export class ManualTimers implements Timers {
  private pending = new Map<number, { fn: () => void; ms: number }>();
  private next = 1;
  readonly delays: number[] = [];

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { fn, ms });
    this.delays.push(ms);
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  get armed(): number {
    return this.pending.size;
  }
  /** Fires every timer armed now (not those they arm); returns how many fired. */
  fireAll(): number {
    const due = [...this.pending.entries()];
    this.pending.clear();
    for (const [, t] of due) t.fn();
    return due.length;
  }
}

/** Lets pending promise callbacks (a fake fetch's answer and what follows it) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}
