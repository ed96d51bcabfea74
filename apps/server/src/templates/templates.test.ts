import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { findModel } from '../providers/catalog.ts';
import { PLATFORMS } from '../social/platforms.ts';
import { TemplateService } from './template.service.ts';
import { TEMPLATES } from './templates.data.ts';
import { editDistance, stem } from './text-match.ts';

const SEED_IDS = [
  'instagram_feed_square',
  'instagram_feed_portrait',
  'instagram_story',
  'instagram_reel_cover',
  'facebook_feed',
  'facebook_feed_square',
  'facebook_story',
  'facebook_cover',
  'twitter_post',
  'twitter_card',
  'twitter_header',
  'linkedin_post',
  'linkedin_post_square',
  'linkedin_article',
  'linkedin_cover',
  'youtube_thumbnail',
  'youtube_channel_art',
  'pinterest_pin',
  'pinterest_story',
  'tiktok_video_cover',
  'blog_header',
  'blog_header_wide',
  'email_banner',
  'email_product',
  'website_hero',
  'website_banner',
];

describe('template catalogue', () => {
  it('keeps the original 26 and adds at least 8 ad creative and product templates', () => {
    const ids = TEMPLATES.map((t) => t.id);
    expect(ids).toEqual(expect.arrayContaining(SEED_IDS));
    expect(new Set(ids).size).toBe(ids.length);
    expect(TEMPLATES.filter((t) => t.category === 'ad_creative').length).toBeGreaterThanOrEqual(4);
    expect(TEMPLATES.filter((t) => t.category === 'product').length).toBeGreaterThanOrEqual(4);
    expect(
      TEMPLATES.filter((t) => t.category === 'ad_creative' || t.category === 'product').length,
    ).toBeGreaterThanOrEqual(8);
  });

  it('sizes every social template exactly like the Social Optimizer format it targets', () => {
    const formats = new Map(PLATFORMS.flatMap((p) => p.formats.map((f) => [f.id, f])));
    for (const t of TEMPLATES.filter((x) => x.format_id)) {
      const f = formats.get(t.format_id ?? '');
      expect(f, t.id).toBeDefined();
      expect([t.width, t.height], t.id).toEqual([f?.width, f?.height]);
    }
    const byId = new Map(TEMPLATES.map((t) => [t.id, t]));
    expect([byId.get('twitter_post')?.width, byId.get('twitter_post')?.height]).toEqual([1200, 675]);
    expect([byId.get('youtube_channel_art')?.width, byId.get('youtube_channel_art')?.height]).toEqual([
      2560, 1440,
    ]);
  });

  it('recommends a provider and model that exist and can create images', () => {
    for (const t of TEMPLATES) {
      const model = findModel(t.recommended_provider, t.recommended_model);
      expect(model?.operations, `${t.id} → ${t.recommended_provider}/${t.recommended_model}`).toContain(
        'create',
      );
      expect(t.prompt_scaffold).toContain('{prompt}');
    }
  });

  it('labels every ratio truthfully (within 2%)', () => {
    for (const t of TEMPLATES) {
      const [w, h] = t.ratio.split(':').map(Number);
      expect(Math.abs((w ?? 0) / (h ?? 1) - t.width / t.height) / (t.width / t.height), t.id).toBeLessThan(
        0.02,
      );
    }
  });
});

describe('template search', () => {
  const service = new TemplateService();
  const ids = (query: string) => service.search(query).map((t) => t.id);

  it('stems plurals and tolerates small typos', () => {
    expect(stem('stories')).toBe('story');
    expect(stem('business')).toBe('business');
    expect(editDistance('instagarm', 'instagram', 2)).toBe(1);
    expect(ids('instagram stories')[0]).toBe('instagram_story');
    expect(ids('instagarm story')).toContain('instagram_story');
    expect(ids('youtube thumbnails')[0]).toBe('youtube_thumbnail');
    expect(ids('linkdin cover')[0]).toBe('linkedin_cover');
  });

  it('ranks a name match above a description match and requires every word', () => {
    const pins = ids('pin');
    expect(pins.slice(0, 2)).toEqual(expect.arrayContaining(['pinterest_pin']));
    expect(ids('tiktok cover')).toEqual(['tiktok_video_cover']);
    expect(ids('zzzz qqqq')).toEqual([]);
  });

  it('recommends by use case and platform, best first', () => {
    const rec = service.recommend('product photography', undefined, 5);
    expect(rec.length).toBeGreaterThan(0);
    expect(rec.map((t) => t.score ?? 0)).toEqual([...rec.map((t) => t.score ?? 0)].sort((a, b) => b - a));
    expect(rec[0]?.use_cases.join(' ').toLowerCase()).toContain('product');
    const onlyIg = service.recommend('product', 'instagram');
    expect(onlyIg.every((t) => t.platform === 'instagram')).toBe(true);
    expect(service.recommend('paid social ads').map((t) => t.category)).toContain('ad_creative');
  });
});

describe('template routes', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp();
    token = (await setupAdmin(t.app)).token;
  });
  afterAll(async () => t.close());

  it('lists with combined filters in the original response shape', async () => {
    const res = await t.app.inject({
      url: '/api/image-studio/templates?platform=instagram&category=product',
      headers: bearer(token),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ templates: Array<Record<string, unknown>>; total: number }>();
    expect(body.total).toBe(body.templates.length);
    expect(body.templates.every((x) => x.platform === 'instagram' && x.category === 'product')).toBe(true);
    expect(body.templates[0]).toMatchObject({
      aspect_ratio: { ratio: expect.any(String), width: expect.any(Number) },
    });
  });

  it('rejects unknown enum values and empty queries with 400', async () => {
    const bad = await t.app.inject({
      url: '/api/image-studio/templates?platform=myspace',
      headers: bearer(token),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    const empty = await t.app.inject({
      url: '/api/image-studio/templates/search?query=',
      headers: bearer(token),
    });
    expect(empty.statusCode).toBe(400);
  });

  it('searches and recommends over HTTP', async () => {
    const search = await t.app.inject({
      url: '/api/image-studio/templates/search?query=reel%20covers',
      headers: bearer(token),
    });
    expect(search.json()).toMatchObject({
      query: 'reel covers',
      templates: [{ id: 'instagram_reel_cover' }],
    });
    const rec = await t.app.inject({
      url: '/api/image-studio/templates/recommend?use_case=recipes&platform=pinterest',
      headers: bearer(token),
    });
    expect(rec.json()).toMatchObject({ use_case: 'recipes', templates: [{ id: 'pinterest_pin' }] });
  });
});
