/** A variable that no setting reads, named like one that is read: most likely a typo. */
export interface MisspelledSetting {
  name: string;
  meant: string;
}

/**
 * The variables of `env` that name none of `settings` but nearly name one: in another case, or an
 * edit or two away (one for a name under eight characters, where two would match unrelated
 * variables such as HOST and PORT). A service ignores them, so boot says so.
 */
export function misspelledSettings(
  env: Record<string, unknown>,
  settings: readonly string[],
): MisspelledSetting[] {
  const known = new Set(settings);
  return Object.keys(env)
    .filter((name) => !known.has(name) && env[name] !== undefined)
    .flatMap((name) => {
      const meant = settings.find((setting) => nearlyNamed(name, setting));
      return meant === undefined ? [] : [{ name, meant }];
    });
}

function nearlyNamed(name: string, setting: string): boolean {
  const allowed = Math.min(name.length, setting.length) < 8 ? 1 : 2;
  if (Math.abs(name.length - setting.length) > allowed) return false;
  return editDistance(name.toUpperCase(), setting) <= allowed;
}

/** Edits (insert, delete, replace, swap two neighbours) from one name to the other. */
function editDistance(from: string, to: string): number {
  const rows = Array.from({ length: from.length + 1 }, (_, row) =>
    Array.from({ length: to.length + 1 }, (_, column) =>
      row === 0 ? column : column === 0 ? row : 0,
    ),
  );
  for (let row = 1; row <= from.length; row += 1) {
    for (let column = 1; column <= to.length; column += 1) {
      const same = from[row - 1] === to[column - 1] ? 0 : 1;
      let best = Math.min(
        rows[row - 1][column] + 1,
        rows[row][column - 1] + 1,
        rows[row - 1][column - 1] + same,
      );
      const swapped = from[row - 1] === to[column - 2] && from[row - 2] === to[column - 1];
      if (row > 1 && column > 1 && swapped) best = Math.min(best, rows[row - 2][column - 2] + 1);
      rows[row][column] = best;
    }
  }
  return rows[from.length][to.length];
}
