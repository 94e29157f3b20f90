/**
 * Small, checked edits of TypeScript and text sources. Each finds its anchor or throws naming
 * what it looked for, so a generator run on code it does not recognise stops instead of guessing;
 * Prettier tidies the layout afterwards.
 */

function fail(what: string, file: string): never {
  throw new Error(`${file}: could not find ${what}; edit it by hand (docs/extending.md)`);
}

/** Adds `name` to the named imports from `module`, or a new import line after the last one. */
export function ensureImport(source: string, module: string, name: string, file: string): string {
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const existing = new RegExp(`import \\{([^}]*)\\} from '${escaped}';`).exec(source);
  if (existing) {
    const names = existing[1]
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    const bare = (entry: string) => entry.replace(/^type /, '');
    if (names.some((entry) => bare(entry) === bare(name))) return source;
    const merged = `import { ${[...names, name].join(', ')} } from '${module}';`;
    return source.replace(existing[0], merged);
  }
  const imports = [...source.matchAll(/^import [^;]+;$/gm)];
  const last = imports.at(-1);
  if (!last || last.index === undefined) fail('any import', file);
  const at = last.index + last[0].length;
  return `${source.slice(0, at)}\nimport { ${name} } from '${module}';${source.slice(at)}`;
}

/** `source` with the first match of `pattern` replaced; fails, naming `what`, without one. */
export function replaceFirst(
  source: string,
  pattern: RegExp,
  replacement: string,
  what: string,
  file: string,
): string {
  if (!pattern.test(source)) fail(what, file);
  return source.replace(pattern, replacement);
}

/** Index of the bracket closing the one at `open`. */
function closing(source: string, open: number): number {
  const pairs: Record<string, string> = { '[': ']', '{': '}', '(': ')' };
  const stack: string[] = [];
  for (let i = open; i < source.length; i += 1) {
    const char = source[i];
    if (pairs[char]) stack.push(pairs[char]);
    else if (char === stack.at(-1)) {
      stack.pop();
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/**
 * Appends `item` to the array or object literal that follows `anchor` (e.g. `const handlers`,
 * `queues:`), keeping what is there.
 */
export function appendToLiteral(
  source: string,
  anchor: string,
  item: string,
  file: string,
): string {
  const start = source.indexOf(anchor);
  if (start < 0) fail(`"${anchor}"`, file);
  // The literal starts after the `=` of a declaration (past a type such as `Type[]`), else at once.
  const lineEnd = source.indexOf('\n', start);
  const equals = source.slice(start, lineEnd < 0 ? undefined : lineEnd).indexOf('= ');
  const from = equals < 0 ? start + anchor.length : start + equals;
  const open = source.slice(from).search(/[[{]/) + from;
  const end = closing(source, open);
  if (end < 0) fail(`the end of "${anchor}"`, file);
  const body = source.slice(open + 1, end);
  const inside = body.replace(/,?\s*$/, '');
  const trailing = /\s*$/.exec(body)?.[0] ?? '';
  const joined = inside.trim() === '' ? item : `${inside}, ${item}${trailing}`;
  return `${source.slice(0, open + 1)}${joined}${source.slice(end)}`;
}

/** Where the last match of `line` ends in `source` (before its newline); fails without one. */
function endOfLastLine(source: string, line: RegExp, file: string): number {
  const last = [...source.matchAll(new RegExp(line.source, 'gm'))].at(-1);
  if (!last || last.index === undefined) fail(`a line like ${String(line)}`, file);
  return last.index + last[0].length;
}

/** Inserts `text` after the last line matching `line`. */
export function insertAfterLast(source: string, line: RegExp, text: string, file: string): string {
  const end = source.indexOf('\n', endOfLastLine(source, line, file));
  const at = end < 0 ? source.length : end + 1;
  return `${source.slice(0, at)}${text}${source.slice(at)}`;
}

/**
 * Continues a shell command onto one more line: the last line matching `line` (its last line,
 * so without a trailing backslash) gets ` \`, and `text` follows on a line of its own.
 */
export function continueCommand(source: string, line: RegExp, text: string, file: string): string {
  const end = endOfLastLine(source, line, file);
  return `${source.slice(0, end)} \\\n${text}${source.slice(end)}`;
}

/** Inserts `text` before the first line matching `line`. */
export function insertBefore(source: string, line: RegExp, text: string, file: string): string {
  const match = new RegExp(line.source, 'm').exec(source);
  if (!match) fail(`a line like ${String(line)}`, file);
  return `${source.slice(0, match.index)}${text}${source.slice(match.index)}`;
}

/** Where the body of class `name` opens and closes; fails when the file has no such class. */
function classBody(source: string, name: string, file: string): { open: number; end: number } {
  const declaration = new RegExp(`\\bclass ${name}\\b[^{]*\\{`).exec(source);
  if (!declaration) fail(`the class ${name}`, file);
  const open = declaration.index + declaration[0].length - 1;
  const end = closing(source, open);
  if (end < 0) fail(`the end of the class ${name}`, file);
  return { open, end };
}

/** Inserts `text` just before the closing brace of class `name`. */
export function insertIntoClass(source: string, name: string, text: string, file: string): string {
  const { end } = classBody(source, name, file);
  return `${source.slice(0, end).trimEnd()}\n\n${text}\n${source.slice(end)}`;
}

/** Adds a parameter to the constructor of class `name`, or a constructor holding just it. */
export function addConstructorParameter(
  source: string,
  name: string,
  parameter: string,
  file: string,
): string {
  const { open: body, end: bodyEnd } = classBody(source, name, file);
  const constructorAt = source.slice(body, bodyEnd).indexOf('constructor(');
  if (constructorAt < 0) {
    return `${source.slice(0, body + 1)}\n  constructor(${parameter}) {}\n${source.slice(body + 1)}`;
  }
  const open = body + constructorAt + 'constructor'.length;
  const end = closing(source, open);
  const inside = source.slice(open + 1, end).replace(/,?\s*$/, '');
  const joined = inside.trim() === '' ? parameter : `${inside}, ${parameter}`;
  return `${source.slice(0, open + 1)}${joined}${source.slice(end)}`;
}

/** Inserts `text` right after the opening brace of class `name`. */
export function insertAtClassStart(
  source: string,
  name: string,
  text: string,
  file: string,
): string {
  const { open } = classBody(source, name, file);
  return `${source.slice(0, open + 1)}\n${text}\n${source.slice(open + 1)}`;
}
