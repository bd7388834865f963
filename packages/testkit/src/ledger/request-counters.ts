/**
 * Requests by operation and outcome. Outcomes: `success`, the AWS error type answered
 * (e.g. `ResourceNotFoundException`), or `reset`, `hang`, `lostResponse` for injected faults.
 */
export class RequestCounters {
  private readonly counts = new Map<string, Map<string, number>>();

  /** Counts one request of `operation` that ended with `outcome`. */
  add(operation: string, outcome: string): void {
    let byOutcome = this.counts.get(operation);
    if (byOutcome === undefined) {
      byOutcome = new Map();
      this.counts.set(operation, byOutcome);
    }
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
  }

  /** Plain-object copy: operation → outcome → count. */
  snapshot(): Record<string, Record<string, number>> {
    const result: Record<string, Record<string, number>> = {};
    for (const [operation, byOutcome] of this.counts) result[operation] = Object.fromEntries(byOutcome);
    return result;
  }

  /** Forgets every count. */
  reset(): void {
    this.counts.clear();
  }
}
