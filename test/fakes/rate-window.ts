/** A sliding-window request counter, for the providers' documented rate limits in the fakes. */
export class RateWindow {
  private readonly hits: number[] = [];

  constructor(
    public max: number,
    readonly windowMs: number,
  ) {}

  /** Records a request; returns the seconds to wait when it is over the limit, else undefined. */
  take(now = Date.now()): number | undefined {
    while (this.hits.length && this.hits[0]! <= now - this.windowMs) this.hits.shift();
    if (this.hits.length >= this.max)
      return Math.max(1, Math.ceil((this.hits[0]! + this.windowMs - now) / 1000));
    this.hits.push(now);
    return undefined;
  }

  clear(): void {
    this.hits.length = 0;
  }
}
