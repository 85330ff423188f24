/** The exposures and distinct units exposed per experiment and variant since the server started, for live summaries and metrics. */
export class ExposureCounts {
  private readonly units = new Map<string, Map<string, { units: Set<string>; exposures: number }>>();

  add(experiment: string, variant: string, unit: string): void {
    let byVariant = this.units.get(experiment);
    if (!byVariant) this.units.set(experiment, (byVariant = new Map()));
    let seen = byVariant.get(variant);
    if (!seen) byVariant.set(variant, (seen = { units: new Set(), exposures: 0 }));
    seen.units.add(unit);
    seen.exposures++;
  }

  /** Distinct units exposed. */
  count(experiment: string, variant: string): number {
    return this.units.get(experiment)?.get(variant)?.units.size ?? 0;
  }

  /** Every experiment and variant with an exposure: the exposures added and the distinct units. */
  variants(): { experiment: string; variant: string; exposures: number; units: number }[] {
    return [...this.units].flatMap(([experiment, byVariant]) =>
      [...byVariant].map(([variant, seen]) => ({ experiment, variant, exposures: seen.exposures, units: seen.units.size })),
    );
  }
}
