/** Parses JSON text, or undefined when it is not JSON: the caller's zod schema then says what was wrong. */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
