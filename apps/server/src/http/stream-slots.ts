/**
 * Counts the long-lived streams (server-sent events) each user holds open in this process, so one
 * user cannot tie up the server's sockets with thousands of them.
 */
export class StreamSlots {
  private readonly open = new Map<number, number>();

  constructor(private readonly maxPerUser: number) {}

  /** A release function for the new stream, or undefined when the user is at the limit. */
  take(userId: number): (() => void) | undefined {
    const count = this.open.get(userId) ?? 0;
    if (count >= this.maxPerUser) {
      return undefined;
    }
    this.open.set(userId, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(userId) ?? 1) - 1;
      if (left > 0) this.open.set(userId, left);
      else this.open.delete(userId);
    };
  }
}
