/**
 * A Social body (12 MP of noise as base64 in JSON: a photo's body at its largest) through
 * Fastify's own JSON parser against the studio's (`http/json-body.ts`: the same
 * prototype-poisoning check made on the parsed keys instead of after two regular expressions over
 * the whole text, and an ASCII body decoded as Latin-1 instead of validated as UTF-8): per request,
 * both in this process through `inject`, alternating. `inject` hands the body over in one piece;
 * through a socket Fastify's parser also decodes each 64 KB chunk as it arrives.
 *
 * `npm run bench json-body`
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { parseJsonBodies } from '../apps/server/src/http/json-body.ts';
import { noise } from '../apps/server/src/imaging/test-images.ts';
import { SEED_FORMATS } from '../apps/server/src/social/platforms.ts';

const ROUNDS = 40;

const photo = await noise(4000, 3000, 'jpeg');
const body = JSON.stringify({
  image_base64: photo.toString('base64'),
  platforms: [...new Set(SEED_FORMATS.map((f) => f.platform))],
  output_format: 'jpg',
});

async function appWith(studioParser: boolean): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: 64 * 1024 * 1024 });
  if (studioParser) parseJsonBodies(app);
  app.post('/', async (request) => Object.keys(request.body ?? {}).length);
  await app.ready();
  return app;
}

const timeOne = async (app: FastifyInstance): Promise<number> => {
  const start = performance.now();
  const res = await app.inject({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'application/json' },
    payload: body,
  });
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${res.body}`);
  return performance.now() - start;
};

const apps = { fastify: await appWith(false), studio: await appWith(true) };
const ms = { fastify: [] as number[], studio: [] as number[] };
for (let r = 0; r < ROUNDS + 2; r++) {
  const f = await timeOne(apps.fastify);
  const s = await timeOne(apps.studio);
  // The first rounds warm both parsers up.
  if (r >= 2) {
    ms.fastify.push(f);
    ms.studio.push(s);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log(
  `JSON body of ${(body.length / 1e6).toFixed(1)} MB (12 MP of noise as base64), ${ROUNDS} requests each through inject:`,
);
console.log(`  Fastify's parser: median ${median(ms.fastify).toFixed(2)} ms`);
console.log(`  the studio's:     median ${median(ms.studio).toFixed(2)} ms`);
console.log(`  ratio: ${(median(ms.studio) / median(ms.fastify)).toFixed(2)}× the time`);
