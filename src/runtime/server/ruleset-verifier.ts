import { Worker } from "node:worker_threads";
import type { VerifyAnswer, VerifyRequest } from "./verify-worker.js";

export type Verdict = { ok: true } | { ok: false; message: string; status: 400 | 500 };

interface Job {
  id: number;
  text: string;
  resolve(v: Verdict): void;
}

/** Time one verification may take once the worker is ready, unless the server says otherwise. */
export const VERIFY_BUDGET_MS = 3_000;

/**
 * Verifies ruleset texts (schema, checksum, references: src/ruleset/verify.ts) on a worker
 * thread, one at a time, each within a time budget. The server's event loop stays free whatever
 * the ruleset: a verification over budget ends the worker (a fresh one takes the next job) and the
 * ruleset is refused; the worker's heap is capped, so a huge ruleset cannot grow the server's.
 */
export class RulesetVerifier {
  private worker: Worker | undefined;
  private ready = false;
  private queue: Job[] = [];
  private running: { job: Job; timer: NodeJS.Timeout } | undefined;
  private nextId = 1;
  private closed = false;

  /** `workerEntry`: the worker module (default verify-worker); tests pass one whose speed they control. */
  constructor(
    private readonly budgetMs: number = VERIFY_BUDGET_MS,
    private readonly workerEntry?: URL,
  ) {}

  check(text: string): Promise<Verdict> {
    if (this.closed) return Promise.resolve({ ok: false, message: "the server is shutting down", status: 500 });
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, text, resolve });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failQueued("the server is shutting down");
    const w = this.detach();
    this.finish({ ok: false, message: "the server is shutting down", status: 500 });
    if (w) await w.terminate();
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    if (!this.worker) return this.spawn();
    if (!this.ready) return;
    const job = this.queue.shift()!;
    const timer = setTimeout(() => {
      // Detach the busy worker first, so that the next job goes to a fresh one.
      void this.detach()?.terminate();
      this.finish({
        ok: false,
        status: 400,
        message: `the ruleset took longer than ${this.budgetMs} ms to verify; simplify its conditions`,
      });
    }, this.budgetMs);
    this.running = { job, timer };
    this.worker.postMessage({ id: job.id, text: job.text } satisfies VerifyRequest);
  }

  private spawn(): void {
    const here = import.meta.url;
    const resourceLimits = { maxOldGenerationSizeMb: 256 };
    // From dist/ (the installed command) the worker is plain JavaScript. From the TypeScript source
    // (tests and benchmarks run under tsx), Node 20 does not pass `--import tsx` on to a worker, so
    // the worker registers the same loader before it imports its entry.
    const entry = this.workerEntry ?? new URL(here.endsWith(".ts") ? "./verify-worker.ts" : "./verify-worker.js", here);
    const fromSource = entry.pathname.endsWith(".ts");
    const worker = fromSource
      ? new Worker(`import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`, {
          eval: true,
          resourceLimits,
        })
      : new Worker(entry, { resourceLimits });
    worker.unref();
    this.worker = worker;
    this.ready = false;
    worker.on("message", (m: "ready" | VerifyAnswer) => {
      if (worker !== this.worker) return;
      if (m === "ready") {
        this.ready = true;
        return this.pump();
      }
      if (this.running?.job.id !== m.id) return;
      this.finish(m.ok ? { ok: true } : { ok: false, status: 400, message: m.messages.join("; ") });
    });
    worker.on("error", (err: Error & { code?: string }) => {
      if (worker !== this.worker) return;
      // A worker that fails before it is ready would fail again: answer the waiting jobs instead of respawning.
      if (!this.ready) this.failQueued(`the ruleset verifier cannot start (${err.message})`);
      this.detach();
      const oom = err.code === "ERR_WORKER_OUT_OF_MEMORY";
      this.finish({
        ok: false,
        status: oom ? 400 : 500,
        message: oom ? "the ruleset is too large to verify" : `the ruleset verifier failed (${err.message})`,
      });
    });
    worker.on("exit", () => {
      if (worker !== this.worker) return;
      if (!this.ready) this.failQueued("the ruleset verifier stopped while starting");
      this.detach();
      this.finish({ ok: false, status: 500, message: "the ruleset verifier stopped" });
    });
  }

  private finish(v: Verdict): void {
    const r = this.running;
    if (r) {
      clearTimeout(r.timer);
      this.running = undefined;
      r.job.resolve(v);
    }
    if (!this.closed) this.pump();
  }

  private failQueued(message: string): void {
    for (const job of this.queue.splice(0)) job.resolve({ ok: false, message, status: 500 });
  }

  /** Forgets the current worker (its later events are ignored) and returns it. */
  private detach(): Worker | undefined {
    const w = this.worker;
    this.worker = undefined;
    this.ready = false;
    return w;
  }
}
