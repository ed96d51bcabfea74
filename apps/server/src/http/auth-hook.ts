import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService } from '../auth/auth.service.ts';
import { csrfRejected, unauthorized } from '../errors.ts';
import { sameToken } from '../metrics/metrics-token.ts';

export const SESSION_COOKIE = 'studio_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `https://host[:port]` of the request itself, or PUBLIC_URL's origin when configured. */
function expectedOrigins(request: FastifyRequest, publicUrl?: string): Set<string> {
  const out = new Set<string>();
  if (publicUrl) {
    out.add(new URL(publicUrl).origin);
  }
  const host = request.headers.host;
  if (host) {
    out.add(`http://${host}`);
    out.add(`https://${host}`);
  }
  return out;
}

function originOf(request: FastifyRequest): string | undefined {
  const origin = request.headers.origin;
  if (origin && origin !== 'null') {
    return origin;
  }
  const referer = request.headers.referer;
  if (referer) {
    try {
      return new URL(referer).origin;
    } catch {
      return 'invalid';
    }
  }
  return origin === 'null' ? 'null' : undefined;
}

/**
 * Authenticates every request to a route that does not declare itself `config: { public: true }`:
 * a bearer token, or the session cookie. It runs after routing, so the decision follows the route
 * the router matched (whatever percent-encoding or absolute form the URL used), and a new route is
 * closed until it says otherwise. Unmatched paths are public: the not-found handler only answers 404
 * or the web app's document.
 * Cookie-authenticated writes must carry a same-origin Origin/Referer: together with the SameSite
 * cookie this stops cross-site request forgery; bearer tokens are not sent by browsers on their own.
 */
export function authHook(auth: AuthService, publicUrl?: string, metricsToken?: string) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const isPublic = request.is404 || request.routeOptions.config.public === true;
    const unsafe = !SAFE_METHODS.has(request.method);
    const origin = originOf(request);
    if (unsafe && origin !== undefined && !expectedOrigins(request, publicUrl).has(origin)) {
      throw csrfRejected();
    }

    const header = request.headers.authorization;
    if (header?.toLowerCase().startsWith('bearer ')) {
      const bearer = header.slice(7).trim();
      if (
        metricsToken &&
        request.routeOptions.config.metricsToken === true &&
        sameToken(bearer, metricsToken)
      ) {
        return;
      }
      const user = await auth.userForToken(header.slice(7).trim());
      if (!user) {
        throw unauthorized('The API token is invalid or has been revoked.');
      }
      request.user = user;
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) {
      const user = await auth.userForSession(cookie);
      if (user) {
        if (unsafe && origin === undefined) {
          throw csrfRejected();
        }
        request.user = user;
      }
    }
    if (!request.user && !isPublic) {
      throw unauthorized();
    }
  };
}
