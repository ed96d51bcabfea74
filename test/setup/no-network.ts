/**
 * Tests never reach the internet: any fetch to a host other than loopback fails loudly, so a
 * provider client pointed at a real URL by mistake is caught instead of silently calling out.
 */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const realFetch = globalThis.fetch;

globalThis.fetch = (input: string | URL | Request, init?: RequestInit) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (!LOOPBACK.has(url.hostname)) {
    return Promise.reject(new Error(`Network access blocked in tests: ${url.origin}`));
  }
  return realFetch(input, init);
};
