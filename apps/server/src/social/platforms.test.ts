import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { ALL_FORMATS, findFormat, findPlatform, PLATFORMS, SEED_FORMATS } from './platforms.ts';
import { selectFormats } from './select-formats.ts';

describe('platform catalogue', () => {
  it('keeps the seed’s 7 platforms and 20 formats by name, and adds Threads and Bluesky', () => {
    expect(PLATFORMS.map((p) => p.id)).toEqual([
      'instagram',
      'facebook',
      'twitter',
      'linkedin',
      'youtube',
      'pinterest',
      'tiktok',
      'threads',
      'bluesky',
    ]);
    expect(SEED_FORMATS.map((f) => `${f.platform}/${f.name}`)).toEqual([
      'instagram/Feed Post (Square)',
      'instagram/Feed Post (Portrait)',
      'instagram/Story',
      'instagram/Reel',
      'facebook/Feed Post',
      'facebook/Feed Post (Square)',
      'facebook/Story',
      'facebook/Cover Photo',
      'twitter/Post',
      'twitter/Card',
      'twitter/Header',
      'linkedin/Feed Post',
      'linkedin/Feed Post (Square)',
      'linkedin/Article',
      'linkedin/Company Cover',
      'youtube/Thumbnail',
      'youtube/Channel Art',
      'pinterest/Pin',
      'pinterest/Story Pin',
      'tiktok/Video Cover',
    ]);
    expect(new Set(ALL_FORMATS.map((f) => f.id)).size).toBe(ALL_FORMATS.length);
    // The seed's default (first) format of each platform is unchanged.
    for (const p of PLATFORMS.slice(0, 7)) expect(p.formats[0]!.seed, p.id).toBe(true);
  });

  it('every format: a source, a verified date or an explicit null, sizes that match its ratio and limits', () => {
    for (const f of ALL_FORMATS) {
      const [a, b] = f.ratio.split(':').map(Number);
      expect(Math.abs(a! / b! - f.width / f.height) / (f.width / f.height), f.id).toBeLessThan(0.02);
      expect(f.source, f.id).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]{2,}\//);
      if (f.verified !== null) expect(f.verified, f.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(f.maxBytes).toBeGreaterThan(0);
      expect(f.fileTypes.length).toBeGreaterThan(0);
      if (f.maxEdge) expect(Math.max(f.width, f.height), f.id).toBeLessThanOrEqual(f.maxEdge);
      if (f.minWidth) expect(f.width, f.id).toBeGreaterThanOrEqual(f.minWidth);
      for (const z of [f.safeZone, ...f.safeAreas]) {
        expect(z.left + z.right, f.id).toBeLessThan(1);
        expect(z.top + z.bottom, f.id).toBeLessThan(1);
      }
    }
    expect(findFormat(findPlatform('twitter')!, 'Post')).toMatchObject({ width: 1200, height: 675 });
    expect(findFormat(findPlatform('linkedin')!, 'Company Cover')).toMatchObject({ ratio: '5.9:1' });
  });

  it('2026 additions: Instagram 3:4 and grid overlay, one Story/Reel zone, X 2:1, LinkedIn 4:5', () => {
    const ig = findPlatform('instagram')!;
    expect(findFormat(ig, 'feed_3x4')).toMatchObject({ width: 1080, height: 1440, ratio: '3:4' });
    const portrait = findFormat(ig, 'Feed Post (Portrait)')!;
    const grid = portrait.safeAreas.find((a) => a.id === 'grid')!;
    // The grid shows a 3:4 window of the 4:5 post, full height.
    const shown = { w: portrait.width * (1 - grid.left - grid.right), h: portrait.height };
    expect(shown.w / shown.h).toBeCloseTo(3 / 4, 5);
    expect(findFormat(ig, 'Story')!.safeZone).toEqual(findFormat(ig, 'Reel')!.safeZone);
    expect(findFormat(findPlatform('x')!, 'single_wide')).toMatchObject({ ratio: '2:1' });
    expect(findFormat(findPlatform('linkedin')!, 'feed_portrait')).toMatchObject({
      width: 1080,
      height: 1350,
    });
  });

  it('YouTube banner: TV ⊃ desktop ⊃ tablet ⊃ mobile, the primary safe zone the mobile area', () => {
    const art = findFormat(findPlatform('youtube')!, 'Channel Art')!;
    const px = (id: string) => {
      const a = art.safeAreas.find((x) => x.id === id)!;
      return [
        Math.round(art.width * (1 - a.left - a.right)),
        Math.round(art.height * (1 - a.top - a.bottom)),
      ];
    };
    expect(['tv', 'desktop', 'tablet', 'mobile'].map(px)).toEqual([
      [2560, 1440],
      [2560, 423],
      [1855, 423],
      [1546, 423],
    ]);
    expect(art.safeZone.left).toBeCloseTo(art.safeAreas.find((a) => a.id === 'mobile')!.left, 10);
    expect(findFormat(findPlatform('youtube')!, 'Thumbnail')).toMatchObject({ minWidth: 640 });
  });

  it('Threads and Bluesky limits from their specs', () => {
    for (const f of findPlatform('threads')!.formats) {
      expect(f).toMatchObject({ maxBytes: 8 * 1024 * 1024, fileTypes: ['jpeg', 'png'], minWidth: 320 });
      expect(f.width).toBeLessThanOrEqual(1440);
    }
    for (const f of findPlatform('bluesky')!.formats) {
      expect(f).toMatchObject({ maxBytes: 1_000_000, maxEdge: 2000 });
    }
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
    expect(selectFormats({ allFormats: true }).formats).toHaveLength(ALL_FORMATS.length);
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
