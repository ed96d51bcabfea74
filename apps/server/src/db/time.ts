/** The app's one clock format for stored times: ISO-8601 UTC, sortable as text in both databases. */
export const isoNow = (clock: () => Date = () => new Date()) => clock().toISOString();
