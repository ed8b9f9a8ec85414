/** Time spent per phase of one scenario, summed when a phase runs more than once. */
export class PhaseClock {
  private readonly spent: Record<string, number> = {};

  async time<T>(phase: string, body: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await body();
    } finally {
      this.add(phase, performance.now() - started);
    }
  }

  add(phase: string, ms: number): void {
    this.spent[phase] = (this.spent[phase] ?? 0) + ms;
  }

  /** Whole milliseconds per phase, in the order the phases first ran. */
  phases(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.spent).map(([phase, ms]) => [phase, Math.round(ms)]));
  }
}
