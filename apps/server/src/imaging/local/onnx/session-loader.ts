import ort from 'onnxruntime-node';

/**
 * Builds an onnxruntime session on first use and keeps it for the life of the process: model
 * loading costs seconds and hundreds of MB, so every caller shares the one session.
 */
export class SessionLoader {
  private session: Promise<ort.InferenceSession> | undefined;
  private sessionsBuilt = 0;

  constructor(
    private readonly modelBytes: () => Uint8Array,
    private readonly options: ort.InferenceSession.SessionOptions = {},
  ) {}

  load(): Promise<ort.InferenceSession> {
    if (!this.session) {
      this.sessionsBuilt++;
      // Building the model (a conversion, a file read) may throw: that too is a failed load.
      this.session = Promise.resolve().then(() =>
        ort.InferenceSession.create(this.modelBytes(), {
          intraOpNumThreads: 2,
          interOpNumThreads: 1,
          graphOptimizationLevel: 'all',
          // Spinning worker threads burn the shared cores while waiting; on a busy 2-core server that
          // costs other requests more than the wake-up latency costs these long convolutions.
          extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
          ...this.options,
        }),
      );
      // A failed load must not poison later calls (e.g. a transient out-of-memory).
      this.session.catch(() => {
        this.session = undefined;
      });
    }
    return this.session;
  }

  /** Sessions built so far: 1 for the life of the process unless a load failed. */
  get built(): number {
    return this.sessionsBuilt;
  }

  get loaded(): boolean {
    return this.session !== undefined;
  }
}
