import { describe, expect, it } from 'vitest';
import type { Health } from '../../api/endpoints.ts';
import { STUDIOS, type Studio } from '../../studios.tsx';
import { studioStatus } from './studioStatus.ts';

const ok = { status: 'ok' as const };

function health(modules: Record<string, 'available' | 'degraded' | 'unavailable'>, missing?: string): Health {
  return {
    status: 'healthy',
    service: 'image_studio',
    needs_setup: false,
    modules,
    local_models: {
      isnet: missing ? { status: 'error', error: missing } : ok,
      esrgan: ok,
      detector: ok,
      ocr: ok,
      layout_fonts: ok,
    },
    database: { ...ok, dialect: 'sqlite' },
    storage: { ...ok, kind: 'fs' },
  };
}

function studio(id: string): Studio {
  const found = STUDIOS.find((s) => s.id === id);
  if (!found) throw new Error(`no studio ${id}`);
  return found;
}

describe('dashboard studio status', () => {
  it('a degraded module stays usable and names the missing model file', () => {
    const status = studioStatus(studio('edit'), {
      health: health({ edit_studio: 'degraded' }, 'ISNet: model file abc123 is missing'),
    });
    expect(status).toEqual({
      state: 'needs',
      label: 'Limited',
      needs: ['ISNet: model file abc123 is missing'],
    });
  });

  it('an unavailable module (no job queue) is down; an available one is live', () => {
    expect(studioStatus(studio('upscale'), { health: health({ upscale_studio: 'unavailable' }) }).state).toBe(
      'down',
    );
    expect(studioStatus(studio('upscale'), { health: health({ upscale_studio: 'available' }) })).toEqual({
      state: 'live',
      label: 'Live',
      needs: [],
    });
  });

  it("another module's missing model does not show on this studio's card", () => {
    const status = studioStatus(studio('social'), {
      health: health({ social_optimizer: 'available', edit_studio: 'degraded' }, 'ISNet: gone'),
    });
    expect(status.state).toBe('live');
  });
});
