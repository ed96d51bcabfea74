import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noise } from '../../apps/server/src/imaging/test-images.ts';
import { hasPostgres } from '../support/backends.ts';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../support/test-app.ts';
import {
  errorOf,
  expectAlive,
  footprint,
  isNumeric,
  type JsonSchema,
  multipart,
  ownTempDir,
  type RouteOp,
  routesOf,
  typesOf,
} from './harness.ts';

const ENV = { MAX_UPLOAD_MB: '1', RATE_LIMIT_PER_MINUTE: '100000', LOGIN_RATE_LIMIT_PER_MINUTE: '100000' };
const INT4_MAX = 2_147_483_647;

/** Numbers no field should take without a clear 4xx (or, where in range, a plain answer). */
const HOSTILE_NUMBERS = [1e9, -1, 1e308, 2 ** 31, -(2 ** 31) - 1, 1.5, 2 ** 53 + 1, 0];
/** The same, as they arrive in a path or query string, plus what only text can say. */
const HOSTILE_NUMBER_TEXT = [
  '1e9',
  '-1',
  '1e400',
  '2147483648',
  '9007199254740993',
  'NaN',
  'Infinity',
  '1.5',
  '0x1f',
  '',
  ' ',
];
const BIG_TEXT = `${'prompt 🌋 ‮ñ̃ 中文 '.repeat(5_000)}`.slice(0, 100_000);
const UNICODE = 'Zoë 🏳️‍🌈 ‮evil‬ 中文 e\u0301 \u200b Ω';

const bodyMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('hostile bodies, ids and numbers on %s', (dialect, available) => {
  let t: TestApp;
  let auth: Record<string, string>;
  let routes: RouteOp[];
  let assetId: number;
  const samples: Record<string, string> = {};

  beforeAll(async () => {
    if (!available) return;
    ownTempDir();
    t = await startTestApp({ dialect, env: ENV });
    const admin = await setupAdmin(t.app);
    auth = bearer(admin.token);
    routes = routesOf(t);
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/content-assets/upload',
      headers: auth,
      payload: { image_base64: (await noise(32, 32, 'png')).toString('base64') },
    });
    assetId = up.json().id;
    const coll = await t.app.inject({
      method: 'POST',
      url: '/api/content-assets/collections',
      headers: auth,
      payload: { name: 'c' },
    });
    Object.assign(samples, {
      id: String(assetId),
      collection: String(coll.json().id),
      user: String(admin.userId),
      provider: 'stability',
      platform: 'instagram',
      action: 'favorite',
      file: 'nothing.zip',
    });
  });
  afterAll(async () => t?.close());

  /** A real value for each path parameter, so body and query fuzzing reaches the handler. */
  const fillPath = (r: RouteOp, override: Record<string, string> = {}) =>
    r.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (override[name] !== undefined) return encodeURIComponent(override[name]);
      if (name !== 'id') return samples[name] ?? 'x';
      if (r.path.includes('/collections/')) return samples.collection ?? '1';
      if (r.path.includes('/users/')) return samples.user ?? '1';
      if (r.path.includes('/jobs/')) return 'no-such-job';
      return samples.id ?? '1';
    });

  /** Every answer here is a clean 2xx or a 4xx in the one error shape; never a 5xx. */
  function expectClean(what: string, res: { statusCode: number; body: string }, wrong: string[]) {
    if (res.statusCode >= 500) wrong.push(`${what} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    else if (res.statusCode >= 400 && errorOf(res).code.startsWith('('))
      wrong.push(`${what} → ${res.statusCode} without an error code`);
  }

  it.runIf(available)('finds the routes at runtime', () => {
    expect(routes.length).toBeGreaterThan(50);
  });

  describe('schemas', () => {
    const alternatives = (s: JsonSchema) => [s, ...(s.anyOf ?? []), ...(s.oneOf ?? [])];
    const ownTypes = (s: JsonSchema) => typesOf({ ...s, anyOf: undefined, oneOf: undefined });

    /** Walks one schema (nested objects, list items, unions) and names every unbounded field. */
    function lint(where: string, schema: JsonSchema, name: string, out: string[]) {
      for (const v of alternatives(schema)) {
        const types = ownTypes(v);
        if (types.includes('integer') || types.includes('number')) {
          if (v.maximum === undefined && typeof v.exclusiveMaximum !== 'number')
            out.push(`${where} ${name}: no maximum`);
          if (v.minimum === undefined && typeof v.exclusiveMinimum !== 'number')
            out.push(`${where} ${name}: no minimum`);
          if (/(^|_)id$/.test(name) && (v.maximum ?? Number.POSITIVE_INFINITY) > INT4_MAX) {
            out.push(`${where} ${name}: id above ${INT4_MAX} allowed`);
          }
        }
        const bounded =
          v.enum !== undefined ||
          v.const !== undefined ||
          v.maxLength !== undefined ||
          v.format !== undefined;
        if (types.includes('string') && !bounded) out.push(`${where} ${name}: string without maxLength`);
        if (types.includes('array') && v.maxItems === undefined)
          out.push(`${where} ${name}: array without maxItems`);
        // Items of `asset_ids` are checked as `asset_id`.
        if (v.items) lint(where, v.items, name.replace(/s$/, ''), out);
        for (const [k, p] of Object.entries(v.properties ?? {})) lint(where, p, k, out);
      }
    }

    it.runIf(available)(
      'every number is bounded, every id fits int4, every string and list has a maximum length',
      () => {
        const out: string[] = [];
        for (const r of routes) {
          const where = `${r.method} ${r.path}`;
          for (const p of [...r.pathParams, ...r.queryParams]) lint(where, p.schema, p.name, out);
          if (r.body) lint(where, r.body, 'body', out);
        }
        expect(out).toEqual([]);
      },
    );
  });

  it.runIf(available)('malformed JSON on every route with a body → 400 invalid_json', async () => {
    const wrong: string[] = [];
    for (const r of routes.filter((x) => x.body && bodyMethods.has(x.method))) {
      for (const payload of [
        '{"prompt": "unterminated',
        '{bad json}',
        '{"x": NaN}',
        '{"a":1,}',
        '{"__proto__": {"role": "admin"}}',
        '{"constructor": {"prototype": {"role": "admin"}}}',
      ]) {
        const res = await t.app.inject({
          method: r.method as 'POST',
          url: fillPath(r),
          headers: { ...auth, 'content-type': 'application/json' },
          payload,
        });
        const e = errorOf(res);
        if (e.status !== 400 || e.code !== 'invalid_json')
          wrong.push(`${r.method} ${r.path} ${payload} → ${e.status} ${e.code} ${e.message}`);
      }
    }
    expect(wrong).toEqual([]);
    await expectAlive(t);
  });

  it.runIf(available)('a body in a type no route reads → 415 unsupported_media_type', async () => {
    const wrong: string[] = [];
    for (const r of routes.filter((x) => x.body && bodyMethods.has(x.method))) {
      const res = await t.app.inject({
        method: r.method as 'POST',
        url: fillPath(r),
        headers: { ...auth, 'content-type': 'application/xml' },
        payload: '<prompt>hello</prompt>',
      });
      const e = errorOf(res);
      if (e.status !== 415 || e.code !== 'unsupported_media_type')
        wrong.push(`${r.method} ${r.path} → ${e.status} ${e.code}`);
    }
    expect(wrong).toEqual([]);
  });

  it.runIf(available)('JSON nested 100 000 deep in every body field never gives a 5xx', async () => {
    const depth = 100_000;
    const wrong: string[] = [];
    for (const r of routes.filter((x) => x.body && bodyMethods.has(x.method))) {
      for (const name of Object.keys(r.body?.properties ?? {})) {
        const res = await t.app.inject({
          method: r.method as 'POST',
          url: fillPath(r),
          headers: { ...auth, 'content-type': 'application/json' },
          payload: `{"${name}":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
        });
        expectClean(`${r.method} ${r.path} ${name}`, res, wrong);
      }
    }
    expect(wrong).toEqual([]);
    await expectAlive(t);
  });

  it.runIf(available)('an empty JSON body and a body of the wrong shape → 400 with a code', async () => {
    const wrong: string[] = [];
    for (const r of routes.filter((x) => x.body && bodyMethods.has(x.method))) {
      for (const payload of ['', '[]', '"text"', '12', 'null']) {
        const res = await t.app.inject({
          method: r.method as 'POST',
          url: fillPath(r),
          headers: { ...auth, 'content-type': 'application/json' },
          payload,
        });
        const e = errorOf(res);
        const ok = e.status === 400 && ['invalid_json', 'validation_failed'].includes(e.code);
        if (!ok) wrong.push(`${r.method} ${r.path} ${JSON.stringify(payload)} → ${e.status} ${e.code}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it.runIf(available)(
    'absurd path ids → 400 validation_failed, ids that could exist but do not → 404',
    async () => {
      const wrong: string[] = [];
      for (const r of routes) {
        for (const p of r.pathParams) {
          const numeric = isNumeric(p.schema);
          const values = numeric
            ? HOSTILE_NUMBER_TEXT.filter((v) => v.trim() !== '')
            : ['x'.repeat(5000), '..%2F..%2Fetc', '%00', UNICODE];
          for (const v of values) {
            const url = fillPath(r, { [p.name]: v }).replace('%25', '%');
            const res = await t.app.inject({
              method: r.method as 'GET',
              url,
              headers: auth,
              ...(r.body ? { payload: {} } : {}),
            });
            expectClean(`${r.method} ${r.path} ${p.name}=${v.slice(0, 20)}`, res, wrong);
          }
          // Where nothing else can fail first, an id nothing has is a plain 404, however large.
          if (numeric && !r.body && !r.queryParams.some((q) => q.required)) {
            for (const [v, status, code] of [
              ['2147483648', 404, 'not_found'],
              // Past 2^53 a number is no longer an exact integer: the request itself is malformed.
              ['99999999999999999999', 400, 'validation_failed'],
              ['-1', 400, 'validation_failed'],
              ['NaN', 400, 'validation_failed'],
              ['1e9', 404, 'not_found'],
            ] as const) {
              const res = await t.app.inject({
                method: r.method as 'GET',
                url: fillPath(r, { [p.name]: v }),
                headers: auth,
              });
              const e = errorOf(res);
              if (e.status !== status || e.code !== code)
                wrong.push(
                  `${r.method} ${r.path} ${p.name}=${v} → ${e.status} ${e.code}, want ${status} ${code}`,
                );
            }
          }
        }
      }
      expect(wrong).toEqual([]);
      await expectAlive(t);
    },
  );

  it.runIf(available)(
    'absurd numbers, repeated and bracketed names in query strings never give a 5xx',
    async () => {
      const wrong: string[] = [];
      for (const r of routes.filter((x) => x.method !== 'DELETE')) {
        for (const q of r.queryParams) {
          const values = isNumeric(q.schema) ? HOSTILE_NUMBER_TEXT : ['x'.repeat(5000), UNICODE, '%00'];
          const queries = [
            ...values.map((v) => `${q.name}=${encodeURIComponent(v)}`),
            // Repeated and bracketed names arrive as arrays or odd keys, not as the one value a schema expects.
            `${q.name}=1&${q.name}=2`,
            `${q.name}[]=1`,
            `${q.name}[a]=1&__proto__[x]=1`,
          ];
          for (const query of queries) {
            const res = await t.app.inject({
              method: r.method as 'GET',
              url: `${fillPath(r)}?${query}`,
              headers: auth,
              ...(r.body ? { payload: {} } : {}),
            });
            expectClean(`${r.method} ${r.path}?${query.slice(0, 40)}`, res, wrong);
          }
        }
      }
      expect(wrong).toEqual([]);
      await expectAlive(t);
    },
  );

  it.runIf(available)(
    'absurd numbers, 100 KB strings and unicode in every body field never give a 5xx',
    async () => {
      const wrong: string[] = [];
      for (const r of routes.filter((x) => x.body && bodyMethods.has(x.method))) {
        for (const [name, prop] of Object.entries(r.body?.properties ?? {})) {
          const values: unknown[] = [];
          if (isNumeric(prop)) values.push(...HOSTILE_NUMBERS);
          if (prop.items && isNumeric(prop.items)) values.push(...HOSTILE_NUMBERS.map((n) => [n]));
          if (typesOf(prop).includes('string')) values.push(BIG_TEXT, UNICODE, '\u0000', '\ud800');
          for (const v of values) {
            const res = await t.app.inject({
              method: r.method as 'POST',
              url: fillPath(r),
              headers: auth,
              payload: { [name]: v },
            });
            expectClean(`${r.method} ${r.path} ${name}=${JSON.stringify(v).slice(0, 24)}`, res, wrong);
          }
        }
      }
      expect(wrong).toEqual([]);
      await expectAlive(t);
    },
  );

  const PROMPTED: Array<[string, Record<string, unknown>]> = [
    ['/api/image-studio/create', { provider: 'local' }],
    ['/api/image-studio/edit', { operation: 'remove_background', provider: 'local' }],
    ['/api/image-studio/upscale', { preset: 'social', provider: 'local' }],
    ['/api/image-studio/control', { operation: 'sketch' }],
    ['/api/content-assets/upload', {}],
    ['/api/image-studio/save-to-library', {}],
  ];
  for (const [url, rest] of PROMPTED) {
    it.runIf(available)(
      `a 100 KB prompt to ${url} → 400 validation_failed on prompt, nothing kept`,
      async () => {
        const image = (await noise(40, 40, 'png')).toString('base64');
        const imageField = url.includes('control') ? 'control_image_base64' : 'image_base64';
        const before = await footprint(t);
        const res = await t.app.inject({
          method: 'POST',
          url,
          headers: auth,
          payload: { ...rest, [imageField]: image, prompt: BIG_TEXT },
        });
        const e = errorOf(res);
        expect([e.status, e.code]).toEqual([400, 'validation_failed']);
        expect(e.message).toMatch(/prompt/);
        expect(await footprint(t)).toEqual(before);
      },
    );
  }

  it.runIf(available)('unicode in titles, tags and prompts round-trips exactly', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/content-assets/${assetId}`,
      headers: auth,
      payload: { title: UNICODE, description: UNICODE, tags: ['🌋', 'ñ', '中文'] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const got = await t.app.inject({ url: `/api/content-assets/${assetId}`, headers: auth });
    expect(got.json()).toMatchObject({ title: UNICODE, description: UNICODE });
    expect(got.json().tags).toEqual(expect.arrayContaining(['🌋', 'ñ', '中文']));
    const search = await t.app.inject({
      url: `/api/content-assets?search=${encodeURIComponent('🌋 中文')}`,
      headers: auth,
    });
    expect(search.statusCode, search.body).toBe(200);
  });

  it.runIf(available)('a NUL character in text → 400 validation_failed, nothing kept', async () => {
    const before = await footprint(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/content-assets/upload',
      headers: auth,
      payload: { image_base64: (await noise(20, 20, 'png')).toString('base64'), title: 'a\u0000b' },
    });
    const e = errorOf(res);
    expect([e.status, e.code]).toEqual([400, 'validation_failed']);
    expect(await footprint(t)).toEqual(before);
  });

  it.runIf(available)(
    'NUL in multipart fields and file names never gives a 5xx or leaves anything',
    async () => {
      const wrong: string[] = [];
      const slots: Array<[string, Record<string, string>]> = [
        ['/api/content-assets/upload', { title: 'a\u0000b', tags: 'x\u0000,y' }],
        ['/api/image-studio/compress', { quality: '80' }],
        ['/api/image-studio/upscale', { preset: 'social', provider: 'local', prompt: 'p\u0000' }],
      ];
      for (const [url, fields] of slots) {
        const bytes = await noise(24, 24 + url.length, 'png');
        const m = multipart(fields, [{ name: 'file', filename: 'evil\u0000\u0007.png', bytes }]);
        const before = await footprint(t);
        const res = await t.app.inject({
          method: 'POST',
          url,
          headers: { ...auth, ...m.headers },
          payload: m.payload,
        });
        expectClean(url, res, wrong);
        if (res.statusCode >= 400) expect(await footprint(t)).toEqual(before);
      }
      expect(wrong).toEqual([]);
      await expectAlive(t);
    },
  );
});
