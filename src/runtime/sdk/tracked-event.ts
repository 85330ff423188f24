import { randomUUID } from "node:crypto";
import type { TrackedEvent } from "./wire.js";

/** What the app passes to `client.track`; `ts` defaults to the client's clock, `eventId` to a new UUID. */
export interface TrackInput {
  userId: string;
  eventName: string;
  value?: number;
  properties?: Record<string, unknown>;
  sessionId?: string;
  ts?: string | number | Date;
  eventId?: string;
}

/** The event as sent; a programming error (no unit, no name, a value that is not a finite number) throws. */
export function trackedEvent(input: TrackInput, now: number): TrackedEvent {
  if (typeof input.userId !== "string" || input.userId === "")
    throw new TypeError(`track() needs "userId", the unit id, as a non-empty string.`);
  if (typeof input.eventName !== "string" || input.eventName === "")
    throw new TypeError(`track() needs "eventName" as a non-empty string.`);
  if (input.value !== undefined && !Number.isFinite(input.value))
    throw new TypeError(`The "value" of event "${input.eventName}" must be a finite number.`);
  const at = input.ts === undefined ? now : new Date(input.ts).getTime();
  if (!Number.isFinite(at)) throw new TypeError(`The "ts" of event "${input.eventName}" is not a valid time.`);
  const e: TrackedEvent = {
    eventId: input.eventId ?? randomUUID(),
    userId: input.userId,
    eventName: input.eventName,
    ts: new Date(at).toISOString(),
  };
  if (input.value !== undefined) e.value = input.value;
  if (input.properties !== undefined) e.properties = input.properties;
  if (input.sessionId !== undefined) e.sessionId = input.sessionId;
  return e;
}
