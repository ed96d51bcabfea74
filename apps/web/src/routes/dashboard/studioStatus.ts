import type { Health } from '../../api/endpoints.ts';
import type { Studio } from '../../studios.tsx';

export interface StudioStatus {
  state: 'live' | 'needs' | 'down' | 'soon';
  label: string;
  /** What the user must add before the studio can work (e.g. "needs a Stability key"). */
  needs: string[];
}

export interface StatusInputs {
  health?: Health;
}

/** A studio's live status from the server's health report (and, later, its providers). */
export function studioStatus(studio: Studio, { health }: StatusInputs): StudioStatus {
  if (!studio.path) {
    return { state: 'soon', label: 'Coming soon', needs: [] };
  }
  if (health && (health.database.status !== 'ok' || health.storage.status !== 'ok')) {
    return { state: 'down', label: 'Degraded', needs: ['The database or storage is not answering.'] };
  }
  if (studio.module && health && health.modules[studio.module] !== 'available') {
    return { state: 'down', label: 'Unavailable', needs: [] };
  }
  return { state: 'live', label: 'Live', needs: [] };
}
