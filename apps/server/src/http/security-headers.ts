import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The web app's Content-Security-Policy: its own scripts only (the Vite build has no inline script),
 * inline styles because Mantine sets style attributes and injects its CSS variables, images from the
 * API plus data: (ThumbHash placeholders, the favicon) and blob: (previews of a chosen file), and
 * requests (fetch, server-sent events) to this origin only. No page may frame the studio.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  // Same-origin requests keep their Referer (the cross-site check may read it); other sites get none.
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/** Adds the security headers to every answer: the web app, static files, the API and its errors. */
export async function securityHeaders(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  void reply.headers(HEADERS);
  if (request.protocol === 'https') {
    void reply.header('strict-transport-security', 'max-age=15552000');
  }
}
