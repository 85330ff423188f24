/** The distinct units exposed per experiment and variant since the server started, for live summaries. */
export class ExposureCounts {
  private readonly units = new Map<string, Map<string, Set<string>>>();

  add(experiment: string, variant: string, unit: string): void {
    let byVariant = this.units.get(experiment);
    if (!byVariant) this.units.set(experiment, (byVariant = new Map()));
    let seen = byVariant.get(variant);
    if (!seen) byVariant.set(variant, (seen = new Set()));
    seen.add(unit);
  }

  count(experiment: string, variant: string): number {
    return this.units.get(experiment)?.get(variant)?.size ?? 0;
  }
}
