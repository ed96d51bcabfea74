import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleError } from './error-handler.ts';
import { parseJsonBodies } from './json-body.ts';

const app = Fastify();

beforeAll(async () => {
  parseJsonBodies(app);
  app.setErrorHandler(handleError);
  app.post('/echo', async (request) => ({ body: request.body }));
  await app.ready();
});
afterAll(() => app.close());

const post = (payload: string, contentType = 'application/json') =>
  app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': contentType }, payload });

describe('JSON bodies', () => {
  it('parses objects, arrays and scalars, with a charset, after a byte-order mark and in UTF-8 beyond ASCII', async () => {
    for (const [payload, body] of [
      ['{"a": [1, {"b": "c"}]}', { a: [1, { b: 'c' }] }],
      ['[1, 2]', [1, 2]],
      ['"text"', 'text'],
      ['\ufeff{"a": 1}', { a: 1 }],
      ['{"prompt": "café ☕ 日本 🎨", "ascii": "plain"}', { prompt: 'café ☕ 日本 🎨', ascii: 'plain' }],
    ] as const) {
      const res = await post(payload, 'application/json; charset=utf-8');
      expect(res.statusCode, payload).toBe(200);
      expect(res.json()).toEqual({ body });
    }
  });

  it('accepts the words __proto__ and constructor where they are values, not keys', async () => {
    const res = await post('{"prompt": "__proto__ and constructor.prototype", "constructor": "x"}');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ body: { prompt: '__proto__ and constructor.prototype', constructor: 'x' } });
  });

  it('refuses a __proto__ key or a constructor.prototype at any depth, leaving Object.prototype alone', async () => {
    for (const payload of [
      '{"__proto__": {"role": "admin"}}',
      '{"a": [{"b": {"__proto__": {"role": "admin"}}}]}',
      '{"constructor": {"prototype": {"role": "admin"}}}',
      '[{"x": {"constructor": {"prototype": {"role": "admin"}}}}]',
    ]) {
      const res = await post(payload);
      expect(res.statusCode, payload).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid_json' } });
    }
    expect(({} as { role?: string }).role).toBeUndefined();
  });

  it('names an empty body and text that is not JSON', async () => {
    const empty = await post('');
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({
      error: { code: 'invalid_json', message: expect.stringContaining('is empty') },
    });
    const broken = await post('{"a": 1,}');
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({
      error: { code: 'invalid_json', message: expect.stringContaining('is not valid JSON') },
    });
  });
});
