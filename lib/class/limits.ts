/**
 * The class API's limits and code format as plain constants, for the pages' own checks: the
 * browser imports these without the Zod schemas of contract.ts.
 */
export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_EVENTS_PER_BATCH = 100;
export const MAX_NAME_CHARS = 60;
export const MAX_TITLE_CHARS = 120;
export const MAX_MESSAGE_CHARS = 500;

/** Six characters from an alphabet with no look-alikes (no 0/O, 1/I/L), easy to read aloud. */
export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const CODE_PATTERN = /^[2-9A-HJKMNP-Z]{6}$/;
