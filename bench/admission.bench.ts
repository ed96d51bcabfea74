import sharp from 'sharp';
import { sceneWithSubject } from '../apps/server/src/imaging/test-images.ts';
import { startServer } from '../test/support/server-process.ts';

/**
 * `npm run bench admission`: six 50-megapixel social exports at once against the real server
 * (all formats, JPEG), while a client asks /health every 50 ms. Reports how long health took
 * (p50, p99, max) against the same probe on the idle server (the baseline), what each export
 * answered (200, or 503 with Retry-After when the pixel budget stayed full) and the wall time.
 * The issue's target: health within 1 s throughout.
 */
const EXPORTS = 6;
const SIDE = 7071;

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const summary = (xs: number[]) =>
  `p50 ${percentile(xs, 50).toFixed(0)} ms, p99 ${percentile(xs, 99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (${xs.length} probes)`;

const server = await startServer({ NODE_ENV: 'production', LOG_LEVEL: 'warn' }, { web: false });
const api = (url: string, init: RequestInit = {}) => fetch(`${server.baseUrl}${url}`, init);

async function probeHealth(until: () => boolean): Promise<number[]> {
  const times: number[] = [];
  while (!until()) {
    const started = performance.now();
    const res = await api('/api/image-studio/health');
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`health answered ${res.status}`);
    times.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 50));
  }
  return times;
}

try {
  const setup = await api('/api/auth/setup', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', password: 'bench password 1' }),
  });
  const cookie = (setup.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const tokenRes = await api('/api/tokens', {
    method: 'POST',
    headers: { cookie, origin: server.baseUrl, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench' }),
  });
  const { token } = (await tokenRes.json()) as { token: string };
  const auth = { authorization: `Bearer ${token}` };

  const scene = await sceneWithSubject(SIDE, SIDE, { left: 4000, top: 1000, width: 800, height: 900 });
  const jpeg = await sharp(scene).jpeg({ quality: 85 }).toBuffer();
  const body = JSON.stringify({
    image_base64: jpeg.toString('base64'),
    all_formats: true,
    output_format: 'jpg',
  });

  const idleUntil = Date.now() + 3000;
  const idle = await probeHealth(() => Date.now() > idleUntil);

  let busy = true;
  const probing = probeHealth(() => !busy);
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: EXPORTS }, async () => {
      const t = performance.now();
      const res = await api('/api/image-studio/social/optimize', {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body,
      });
      await res.arrayBuffer();
      const retry = res.headers.get('retry-after');
      return `${res.status}${retry ? ` (Retry-After ${retry})` : ''} in ${(performance.now() - t).toFixed(0)} ms`;
    }),
  );
  const wall = performance.now() - started;
  busy = false;
  const loaded = await probing;

  process.stdout.write(
    [
      `input: ${SIDE}×${SIDE} JPEG, ${(jpeg.length / 1e6).toFixed(2)} MB; ${EXPORTS} exports at once, all formats`,
      `exports: ${answers.join('; ')}`,
      `wall time: ${wall.toFixed(0)} ms`,
      `health while idle (baseline): ${summary(idle)}`,
      `health during the exports:    ${summary(loaded)}`,
      `target: max under 1000 ms → ${Math.max(...loaded) < 1000 ? 'met' : 'NOT met'}`,
      '',
    ].join('\n'),
  );
} finally {
  await server.stop();
}
