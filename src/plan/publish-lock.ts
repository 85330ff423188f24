import { reconcileAudit } from "./audit-append.js";
import { assertAuditIntact } from "./audit-check.js";
import type { LockHandle, PublishTarget } from "./target/target.js";

/**
 * What every change to the published state does around its work: take the target's lock (unless
 * the caller already holds it), refuse to `doing` on an audit log that does not verify, record a
 * publish whose audit record was never written, and release the lock after, whatever happened.
 */
export async function underPublishLock<T>(
  target: PublishTarget,
  o: { actor: string; doing: string; now?: Date; timeoutMs?: number; held?: LockHandle },
  work: (handle: LockHandle) => Promise<T>,
): Promise<T> {
  const handle = o.held ?? (await target.lock(o.actor, { timeoutMs: o.timeoutMs }));
  try {
    await assertAuditIntact(target, o.doing);
    await reconcileAudit(target, o.actor, o.now);
    return await work(handle);
  } finally {
    if (!o.held) await handle.release();
  }
}
