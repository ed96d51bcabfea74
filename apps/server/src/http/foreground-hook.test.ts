import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { Foreground } from '../util/foreground.ts';
import { foregroundHook } from './foreground-hook.ts';

describe('foregroundHook', () => {
  it('counts a request to an image route from its start until its response is sent, and no other route', async () => {
    const fg = new Foreground();
    const app = Fastify();
    app.addHook('onRequest', foregroundHook(fg));
    const seen: Record<string, boolean> = {};
    app.post('/image', { config: { imageBody: true } }, async () => {
      seen.image = fg.busy;
      return { ok: true };
    });
    app.get('/list', async () => {
      seen.list = fg.busy;
      return { ok: true };
    });
    expect((await app.inject({ method: 'POST', url: '/image', payload: {} })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/list' })).statusCode).toBe(200);
    expect(seen).toEqual({ image: true, list: false });
    await new Promise((r) => setTimeout(r, 20));
    expect(fg.busy).toBe(false);
    await app.close();
  });
});
