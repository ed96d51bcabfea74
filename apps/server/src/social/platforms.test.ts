import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { ALL_FORMATS, findFormat, findPlatform, PLATFORMS } from './platforms.ts';
import { selectFormats } from './select-formats.ts';

describe('platform catalogue', () => {
  it('has the seed’s 7 platforms and 20 formats with unique ids', () => {
    expect(PLATFORMS.map((p) => p.id)).toEqual([
      'instagram',
      'facebook',
      'twitter',
      'linkedin',
      'youtube',
      'pinterest',
      'tiktok',
    ]);
    expect(ALL_FORMATS).toHaveLength(20);
    expect(new Set(ALL_FORMATS.map((f) => f.id)).size).toBe(20);
  });

  it('labels every ratio truthfully (within 2%) and fixes the seed’s inconsistencies', () => {
    for (const f of ALL_FORMATS) {
      const [a, b] = f.ratio.split(':').map(Number);
      expect(Math.abs(a! / b! - f.width / f.height) / (f.width / f.height), f.id).toBeLessThan(0.02);
      expect(f.maxBytes).toBeGreaterThan(0);
      expect(f.fileTypes.length).toBeGreaterThan(0);
      expect(f.verified).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(findFormat(findPlatform('twitter')!, 'Post')).toMatchObject({ width: 1200, height: 675 });
    expect(findFormat(findPlatform('youtube')!, 'Channel Art')).toMatchObject({ width: 2560, height: 1440 });
    expect(findFormat(findPlatform('linkedin')!, 'Company Cover')).toMatchObject({ ratio: '5.9:1' });
  });
});

describe('selectFormats', () => {
  it('seed behaviour: first format by default, exact name match, unknown platforms skipped', () => {
    const r = selectFormats({
      platforms: ['Instagram', 'nowhere', 'twitter'],
      formatNames: { twitter: 'Header' },
    });
    expect(r.formats.map((f) => f.id)).toEqual(['instagram.feed_square', 'twitter.header']);
    expect(r.warnings).toEqual(['Unknown platform "nowhere"; skipped.']);
  });

  it('unknown format name falls back to the first format with a warning', () => {
    const r = selectFormats({ platforms: ['youtube'], formatNames: { youtube: 'Banner' } });
    expect(r.formats.map((f) => f.id)).toEqual(['youtube.thumbnail']);
    expect(r.warnings[0]).toContain('no format "Banner"');
  });

  it('several formats per platform, by name or slug, without duplicates', () => {
    const r = selectFormats({
      platforms: ['instagram'],
      formatNames: { instagram: ['Story', 'reel', 'Story'] },
    });
    expect(r.formats.map((f) => f.id)).toEqual(['instagram.story', 'instagram.reel']);
  });

  it('all_formats: every format of the listed platforms, or of all platforms', () => {
    expect(selectFormats({ platforms: ['facebook'], allFormats: true }).formats).toHaveLength(4);
    expect(selectFormats({ allFormats: true }).formats).toHaveLength(20);
  });

  it('400 when no valid platform remains', () => {
    expect(() => selectFormats({ platforms: ['blog', 'myspace'] })).toThrow(AppError);
    try {
      selectFormats({ platforms: ['blog'] });
    } catch (e) {
      expect((e as AppError).status).toBe(400);
      expect((e as AppError).message).toBe('No valid platforms provided.');
    }
  });
});
