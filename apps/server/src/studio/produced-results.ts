/**
 * Result bytes a job just saved in this process, kept for the synchronous route waiting on it so it
 * answers from the bytes in hand rather than reading them back from storage. A job run by a worker
 * on another machine leaves nothing here and the route reads storage. Results nobody waits for
 * (async jobs) must not pile up: the oldest are dropped past a few answers' worth of bytes.
 */
export class ProducedResults {
  private readonly byAsset = new Map<number, Buffer>();
  private held = 0;

  constructor(
    private readonly maxEntryBytes: number,
    private readonly maxHeldBytes: number,
  ) {}

  remember(assetId: number, bytes: Buffer): void {
    if (bytes.length > this.maxEntryBytes) return;
    this.take(assetId);
    this.byAsset.set(assetId, bytes);
    this.held += bytes.length;
    for (const [id, kept] of this.byAsset) {
      if (this.held <= this.maxHeldBytes) break;
      this.byAsset.delete(id);
      this.held -= kept.length;
    }
  }

  /** The bytes once: a second call (or another process) gets undefined. */
  take(assetId: number): Buffer | undefined {
    const bytes = this.byAsset.get(assetId);
    if (bytes === undefined) return undefined;
    this.byAsset.delete(assetId);
    this.held -= bytes.length;
    return bytes;
  }
}
