import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { makePng } from '../../../../test/support/images.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

const Uploaded = z.object({
  id: z.number(),
  source_module: z.literal('upload'),
  title: z.string().nullable(),
});
const SocialAnswer = z.object({ source_asset_id: z.number() });
const StudioAnswer = z.object({ asset_id: z.number(), input_asset_id: z.number() });

/** Library uploads, the Social Optimizer's source and studio inputs all store uploads through upload.ts. */
describe('one uploaded asset per user and bytes, whichever way the bytes came in', () => {
  let t: TestApp;
  let alice: { token: string; userId: number };
  let bob: { token: string; userId: number };
  let png: Buffer;
  beforeAll(async () => {
    t = await startTestApp();
    alice = await setupAdmin(t.app);
    bob = await addUser(t.app, alice.token, 'bob@example.com');
    png = await makePng(96, 64, 7);
  });
  afterAll(async () => t?.close());

  const uploads = async (userId: number) =>
    t.ctx.db.kysely
      .selectFrom('assets')
      .select(['id', 'title'])
      .where('user_id', '=', userId)
      .where('source_module', '=', 'upload')
      .execute();

  it('a library upload, then the same bytes as a social source and an upscale input, is one asset', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'holiday.png');
    const request = new Request('http://x/', { method: 'POST', body: form });
    const body = Buffer.from(await request.arrayBuffer());
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/content-assets/upload',
      headers: { ...bearer(alice.token), 'content-type': request.headers.get('content-type') ?? '' },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    const uploaded = Uploaded.parse(res.json());
    expect(uploaded.title).toBe('holiday');

    const base64 = `data:image/png;base64,${png.toString('base64')}`;
    const social = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/social/optimize',
      headers: bearer(alice.token),
      payload: { image_base64: base64, platforms: ['instagram'], format_names: { instagram: 'Story' } },
    });
    expect(social.statusCode, social.body).toBe(200);
    expect(SocialAnswer.parse(social.json()).source_asset_id).toBe(uploaded.id);

    const upscale = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/upscale',
      headers: bearer(alice.token),
      payload: { image_base64: base64, mode: 'fast', target_width: 192 },
    });
    expect(upscale.statusCode, upscale.body).toBe(200);
    expect(StudioAnswer.parse(upscale.json()).input_asset_id).toBe(uploaded.id);

    expect(await uploads(alice.userId)).toEqual([{ id: uploaded.id, title: 'holiday' }]);
  });

  it("another user's same bytes become that user's own upload", async () => {
    const social = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/social/optimize',
      headers: bearer(bob.token),
      payload: {
        image_base64: png.toString('base64'),
        platforms: ['instagram'],
        format_names: { instagram: 'Story' },
      },
    });
    expect(social.statusCode, social.body).toBe(200);
    const [own] = await uploads(bob.userId);
    expect(SocialAnswer.parse(social.json()).source_asset_id).toBe(own?.id);
    expect((await uploads(alice.userId)).map((r) => r.id)).not.toContain(own?.id);
  });
});
