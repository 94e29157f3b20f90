/** RabbitMQ permissions are regular expressions over resource names; these build them safely. */

/** Escapes every regex metacharacter, so a name matches itself only (a dot stays a dot). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One anchored pattern matching exactly the given alternatives (each already a regex fragment).
 * No alternative at all gives `^$`, RabbitMQ's way of granting nothing.
 */
export function anchoredAlternatives(fragments: readonly string[]): string {
  const unique = [...new Set(fragments)];
  return unique.length === 0 ? '^$' : `^(?:${unique.join('|')})$`;
}
