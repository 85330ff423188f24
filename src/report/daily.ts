const DAY = 86_400_000;

/**
 * The --as-of points for the over-time charts: up to `max` evenly spaced day boundaries from the
 * first exposure day to the analysis time (the last point is the analysis time itself).
 */
export function asOfPoints(start: string | undefined, asOf: string, max: number): string[] {
  const end = Date.parse(asOf);
  const first = start ? Math.ceil((Date.parse(start) + 1) / DAY) * DAY : end;
  if (!Number.isFinite(first) || first >= end || max <= 1) return [new Date(end).toISOString()];
  const days = Math.floor((end - first) / DAY);
  const step = Math.max(1, Math.ceil(days / (max - 1)));
  const points: number[] = [];
  for (let t = first; t < end && points.length < max - 1; t += step * DAY) points.push(t);
  points.push(end);
  return points.map((t) => new Date(t).toISOString());
}
