import type { RouteOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres } from '../../../../test/support/backends.ts';
import { makePng } from '../../../../test/support/images.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { buildApp } from '../app.ts';
import type { StudioApp } from '../http/types.ts';

/**
 * Where a route names a resource by id in its path, which of the owner's resources that id stands for.
 * A new route with an id parameter fails the walk until it is listed here (or among the unowned).
 */
const RESOURCE_OF: Array<[RegExp, Resource]> = [
  [/^\/api\/content-assets\/collections\/:id/, 'collection'],
  [/^\/api\/content-assets\/:id/, 'asset'],
  [/^\/api\/personas\/:id/, 'persona'],
  [/^\/api\/tokens\/:id/, 'token'],
  [/^\/api\/jobs\/:id/, 'job'],
  [/^\/api\/account\/sessions\/:id/, 'session'],
  [/^\/api\/share-links\/:id/, 'share_link'],
];
/** Path parameters that name no one's resource: catalogue entries, a provider, a bulk verb, a signed file. */
const UNOWNED = [
  /^\/api\/admin\//,
  /^\/api\/content-assets\/bulk\/:action/,
  /^\/api\/image-studio\/platform-specs\/:platform/,
  /^\/api\/image-studio\/social\/platforms\/:platform/,
  /^\/api\/image-studio\/social\/exports\/:file/,
  /^\/api\/provider-keys\/:provider/,
  // A campaign's ZIP is its job's (`<job_id>.zip`); another user's is a 404 in campaign.routes.test.ts.
  /^\/api\/image-studio\/social\/campaigns\/:file/,
];
const AUTO_TAG = 'dog';
type Resource = 'asset' | 'collection' | 'persona' | 'token' | 'job' | 'session' | 'share_link';

/** A valid body for the write routes, so an answer speaks of ownership and not of the body's form. */
function bodyFor(method: string, url: string, ids: Record<Resource, string>): object | undefined {
  if (method === 'GET' || method === 'HEAD') return undefined;
  if (url.endsWith('/collections/:id/assets')) return { asset_ids: [Number(ids.asset)] };
  if (method === 'PATCH' && url.startsWith('/api/personas/')) return { name: 'Renamed' };
  if (method === 'PATCH' && url.startsWith('/api/content-assets/collections/')) return { name: 'Renamed' };
  if ((method === 'PATCH' || method === 'PUT') && url.startsWith('/api/content-assets/'))
    return { title: 'Renamed' };
  return {};
}

/**
 * Every route that names a resource by id, walked from Fastify's own route list: another user gets
 * 404 for each of the owner's resources (as if it did not exist), while the owner reaches it.
 */
describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('another user on every route that names a resource, %s', (dialect, available) => {
  let t: TestApp;
  let app: StudioApp;
  const routes: { method: string; url: string }[] = [];
  const ids = {} as Record<Resource, string>;
  let owner: { token: string; cookie: string };
  let other: { token: string };

  beforeAll(async () => {
    if (!available) return;
    t = await startTestApp({ dialect });
    app = await buildApp(t.ctx, {
      onRoute: (route: RouteOptions) => {
        if (route.config?.public || !route.url.includes(':')) return;
        for (const method of [route.method].flat()) {
          if (method !== 'HEAD') routes.push({ method, url: route.url });
        }
      },
    });
    await app.ready();
    const admin = await setupAdmin(app);
    const user = await addUser(app, admin.token, 'owner@example.com');
    owner = user;
    other = await addUser(app, admin.token, 'other@example.com');
    const as = bearer(owner.token);
    const post = async (url: string, payload: object) => {
      const res = await app.inject({ method: 'POST', url, headers: as, payload });
      expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
      return res.json<{ id: number | string; job_id?: string }>();
    };
    const png = (await makePng(64, 48, 7)).toString('base64');
    ids.asset = String((await post('/api/content-assets/upload', { image_base64: png, title: 'Mine' })).id);
    ids.collection = String((await post('/api/content-assets/collections', { name: 'Mine' })).id);
    ids.persona = String((await post('/api/personas', { name: 'Mine' })).id);
    ids.token = String((await post('/api/tokens', { name: 'spare' })).id);
    const shared = await app.inject({
      method: 'POST',
      url: '/api/share-links',
      headers: as,
      payload: { asset_id: Number(ids.asset) },
    });
    ids.share_link = String(shared.json<{ link: { id: number } }>().link.id);
    // An automatic tag as the analysis writes it, so the owner's DELETE of it has something to remove.
    await sql`insert into asset_auto_tags (asset_id, user_id, label, score, source)
      values (${Number(ids.asset)}, ${user.userId}, ${AUTO_TAG}, ${0.9}, ${'centernet'})`.execute(
      t.ctx.db.kysely,
    );
    const job = await post('/api/image-studio/create', {
      prompt: 'a red square',
      provider: 'local',
      width: 256,
      height: 256,
      async: true,
    });
    ids.job = String(job.job_id ?? job.id);
    const sessions = await app.inject({
      url: '/api/account/sessions',
      cookies: { studio_session: owner.cookie },
    });
    ids.session = String(sessions.json<{ sessions: Array<{ id: string | number }> }>().sessions[0]?.id);
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  const resourceOf = (url: string) => RESOURCE_OF.find(([pattern]) => pattern.test(url))?.[1];
  const pathFor = (url: string, resource: Resource) =>
    url.replace(':id', ids[resource]).replace(':label', AUTO_TAG) +
    (url.endsWith('/usage') ? '?action=download' : '');

  it.runIf(available)('every id route is classified', () => {
    const unknown = routes.filter((r) => !resourceOf(r.url) && !UNOWNED.some((p) => p.test(r.url)));
    expect(unknown).toEqual([]);
    expect(routes.filter((r) => resourceOf(r.url)).length).toBeGreaterThanOrEqual(18);
  });

  it.runIf(available)(
    "another user's call is a 404 and changes nothing; the owner's reaches it",
    async () => {
      const owned = routes.filter((r) => resourceOf(r.url));
      const wrong: string[] = [];
      for (const route of owned) {
        const resource = resourceOf(route.url) as Resource;
        const res = await app.inject({
          method: route.method as 'GET',
          url: pathFor(route.url, resource),
          headers: bearer(other.token),
          payload: bodyFor(route.method, route.url, ids),
        });
        if (res.statusCode !== 404) {
          wrong.push(
            `${route.method} ${route.url} as another user → ${res.statusCode} ${res.body.slice(0, 80)}`,
          );
        }
      }
      expect(wrong).toEqual([]);
      const as = bearer(owner.token);
      const get = async <T>(url: string) => (await app.inject({ url, headers: as })).json<T>();
      expect(await get(`/api/content-assets/${ids.asset}`)).toMatchObject({
        title: 'Mine',
        is_favorite: false,
      });
      expect(await get(`/api/personas/${ids.persona}`)).toMatchObject({ name: 'Mine' });
      const tokens = await get<{ tokens: Array<{ id: number }> }>('/api/tokens');
      expect(tokens.tokens.map((k) => String(k.id))).toContain(ids.token);
      expect((await get<{ status: string }>(`/api/jobs/${ids.job}`)).status).not.toBe('canceled');

      // The same ids are real: the owner reaches each (deletions last, so the rest still find theirs).
      const ordered = [
        ...owned.filter((r) => r.method !== 'DELETE' && !r.url.endsWith('/events')),
        // Deletions of what a resource holds before the resource's own.
        ...owned.filter((r) => r.method === 'DELETE').sort((a, b) => b.url.length - a.url.length),
      ];
      for (const route of ordered) {
        const resource = resourceOf(route.url) as Resource;
        const res = await app.inject({
          method: route.method as 'GET',
          url: pathFor(route.url, resource),
          headers: resource === 'session' ? { origin: 'http://localhost:80' } : bearer(owner.token),
          cookies: resource === 'session' ? { studio_session: owner.cookie } : undefined,
          payload: bodyFor(route.method, route.url, ids),
        });
        if (res.statusCode === 404 || res.statusCode >= 500) {
          wrong.push(
            `${route.method} ${route.url} as its owner → ${res.statusCode} ${res.body.slice(0, 80)}`,
          );
        }
      }
      expect(wrong).toEqual([]);
    },
  );
});
