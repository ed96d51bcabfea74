/**
 * A hint that this browser has signed in. The session cookie is httpOnly, so the app cannot read it;
 * without the hint every visit by a signed-out user would start with a failing /api/auth/me call.
 * The server stays the authority: a 401 clears the hint and sends the user to the login page.
 */
const KEY = 'studio.signed-in';

export const sessionHint = {
  get: (): boolean => localStorage.getItem(KEY) === '1',
  set: (): void => localStorage.setItem(KEY, '1'),
  clear: (): void => localStorage.removeItem(KEY),
};
