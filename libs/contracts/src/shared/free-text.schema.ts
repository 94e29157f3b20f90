import { z } from 'zod';

/** Half of a surrogate pair: a JSON `\ud800` escape parses to one, and UTF-8 cannot carry it. */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/**
 * Free text of `min` to `max` characters that can be stored and sent on as it came: no NUL
 * character, which PostgreSQL's text cannot hold, and no unpaired surrogate, which would be
 * stored as U+FFFD.
 */
export function freeText(min: number, max: number) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine((value) => !value.includes('\0') && !UNPAIRED_SURROGATE.test(value), {
      message: 'must not contain NUL characters or unpaired surrogates',
    });
}
