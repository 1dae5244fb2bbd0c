/** What the consumer's schedule sends it (EventBridge's constant input; the local timer sends the same). */
export const ARCHIVE_SEAL_EVENT = { otpvault: 'seal-archive' } as const;
export type ArchiveSealEvent = { otpvault: string };

/** How often the schedule seals the archive: with `SEAL_INTERVAL_MS`, no object waits much over two minutes for its digest. */
export const ARCHIVE_SEAL_EVERY_SECONDS = 60;
