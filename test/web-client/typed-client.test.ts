import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createApiClient, ok } from '../../apps/web/src/api/client.ts';
import { fieldErrors } from '../../apps/web/src/api/fieldErrors.ts';
import { multipart } from '../../apps/web/src/api/multipart.ts';
import { makePng } from '../support/images.ts';
import { setupAdmin, startTestApp, type TestApp } from '../support/test-app.ts';

/** The web's typed client against a real server on a loopback port: requests as sent, answers as parsed. */
describe('typed web client against the server', () => {
  let t: TestApp;
  let baseUrl: string;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    token = (await setupAdmin(t.app)).token;
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const signedIn = () => {
    const client = createApiClient(baseUrl);
    client.use({ onRequest: ({ request }) => void request.headers.set('authorization', `Bearer ${token}`) });
    return client;
  };

  it('turns the server error shape into an ApiError with its code, message and request id', async () => {
    const error = await ok(createApiClient(baseUrl).GET('/api/auth/me')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(error instanceof ApiError && error.requestId).toMatch(/^[\w.-]{8,}$/);
  });

  it('sends typed bodies and reads validation failures by field', async () => {
    const error = await ok(signedIn().POST('/api/personas', { body: { name: '' } })).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(Object.keys(fieldErrors(error))).toEqual(['name']);
    const persona = await ok(
      signedIn().POST('/api/personas', { body: { name: 'Calm', colors: ['#112233'] } }),
    );
    expect(persona).toMatchObject({ name: 'Calm', colors: ['#112233'] });
  });

  it('uploads a typed body as multipart, reads it back by path param, and downloads a ZIP as a Blob', async () => {
    const png = await makePng(40, 30);
    const client = signedIn();
    const asset = await ok(
      client.POST('/api/content-assets/upload', {
        body: { title: 'tiny', tags: ['a', 'b'] },
        bodySerializer: multipart({
          file: { blob: new Blob([new Uint8Array(png)], { type: 'image/png' }), name: 'tiny.png' },
        }),
      }),
    );
    expect(asset).toMatchObject({ title: 'tiny', tags: ['a', 'b'], width: 40, height: 30 });

    const again = await ok(client.GET('/api/content-assets/{id}', { params: { path: { id: asset.id } } }));
    expect(again.id).toBe(asset.id);
    const file = await ok(
      client.GET('/api/content-assets/{id}/file', { params: { path: { id: asset.id } }, parseAs: 'blob' }),
    );
    expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true);
    const listed = await ok(
      client.GET('/api/content-assets', { params: { query: { search: '', limit: 5 } } }),
    );
    expect(listed.assets.map((a) => a.id)).toEqual([asset.id]);

    const zip = await ok(
      client.POST('/api/content-assets/bulk/download', { body: { asset_ids: [asset.id] }, parseAs: 'blob' }),
    );
    expect(zip).toBeInstanceOf(Blob);
    const bytes = Buffer.from(await zip.arrayBuffer());
    expect(bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))).toBe(true);
    // Images are stored, not deflated: the original bytes are in the archive as sent.
    expect(bytes.includes(png)).toBe(true);
  });

  it('is a network_error ApiError when nothing answers', async () => {
    const closed = createApiClient('http://127.0.0.1:9');
    await expect(ok(closed.GET('/api/image-studio/health'))).rejects.toMatchObject({ code: 'network_error' });
  });
});
