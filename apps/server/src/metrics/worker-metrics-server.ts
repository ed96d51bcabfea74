import http from 'node:http';
import type { StudioMetrics } from './metrics.ts';
import { sameToken } from './metrics-token.ts';

/**
 * A worker serves no API, but its job durations, provider errors and breakers live in its memory:
 * with METRICS_PORT it answers `GET /metrics` there, to the METRICS_TOKEN bearer only.
 */
export async function serveWorkerMetrics(
  metrics: StudioMetrics,
  options: { port: number; host: string; token: string },
): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const header = req.headers.authorization ?? '';
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    if (!header.toLowerCase().startsWith('bearer ') || !sameToken(header.slice(7).trim(), options.token)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
      return;
    }
    metrics.text().then(
      (text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text),
      () => res.writeHead(503).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  return server;
}
