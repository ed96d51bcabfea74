import { createHash } from 'node:crypto';
import type { SubjectAnalysis } from '../imaging/subjects.ts';

/**
 * Recent subject analyses by image content, so a preview and the export after it (and previews
 * re-run for a new focal point) decide crops from one analysis and decode the source only once
 * at analysis size. Small: an analysis is a few faces and a 160-px saliency map.
 */
export class AnalysisCache {
  private readonly entries = new Map<string, SubjectAnalysis>();

  constructor(private readonly capacity = 64) {}

  static keyOf(bytes: Buffer): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  get(key: string): SubjectAnalysis | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // Map order is insertion order: re-inserting marks it most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, analysis: SubjectAnalysis): void {
    this.entries.delete(key);
    this.entries.set(key, analysis);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
