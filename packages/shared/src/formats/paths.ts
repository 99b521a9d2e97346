import type { InterchangeItem } from './model.ts'
/**
 * Path handling shared by every format. Annotation files name their images in many ways
 * (`C:\data\a.jpg`, `./images/a%20b.jpg`, a decomposed `é`); matching and keys go through
 * {@link normalizePath} so that all of them meet on one spelling.
 */

/**
 * Normalises a relative path: `\` becomes `/`, `%XX` escapes are decoded, Unicode is NFC,
 * `.` segments, empty segments and a leading `/` are removed, and `a/../b` collapses to `b`.
 * A `..` that would climb above the root is kept, so callers can still refuse it.
 */
export function normalizePath(raw: string): string {
  const decoded = decodeUri(raw).replace(/\\/g, '/').normalize('NFC')
  const out: string[] = []
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop()
    else out.push(segment)
  }
  return out.join('/')
}

/** Decodes `%XX` escapes; a name such as `100%.jpg` that is not valid escaping stays as it is. */
function decodeUri(value: string): string {
  if (!value.includes('%')) return value
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/**
 * The unique key of an item: `subset:path` (`Train:train/a.png`), or the path alone when the
 * item has no subset. The same file name in two subsets or two folders gives two keys.
 */
export function itemKey(subset: string, path: string): string {
  return subset ? `${subset}:${path}` : path
}

/** A new item without regions or tags, keyed by subset and path; sizes only where known. */
export function newItem(
  subset: string,
  path: string,
  size: { width?: number | null | undefined; height?: number | null | undefined } = {},
): InterchangeItem {
  return {
    key: itemKey(subset, path),
    subset,
    path,
    ...(size.width ? { width: size.width } : {}),
    ...(size.height ? { height: size.height } : {}),
    regions: [],
    tags: [],
  }
}

/** The last segment of a `/`-separated path. */
export function baseName(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? path : path.slice(slash + 1)
}

/** Everything before the last `/`, or `''` for a bare name. */
export function dirName(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

/** The extension with its dot (`.jpg`), or `''`; a leading dot (`.hidden`) is not one. */
export function extName(path: string): string {
  const base = baseName(path)
  const dot = base.lastIndexOf('.')
  return dot <= 0 ? '' : base.slice(dot)
}

/** The path without its extension: `a/b.c.jpg` gives `a/b.c`. */
export function stripExt(path: string): string {
  const ext = extName(path)
  return ext ? path.slice(0, -ext.length) : path
}

/** Joins path pieces with `/`, skipping empty ones, and normalises the result. */
export function joinPath(...parts: string[]): string {
  return normalizePath(parts.filter((part) => part !== '').join('/'))
}

const IMAGE_EXTENSIONS = new Set([
  '.jpg',
  '.jpeg',
  '.png',
  '.bmp',
  '.gif',
  '.webp',
  '.tif',
  '.tiff',
  '.jfif',
  '.mpo',
  '.dng',
  '.pfm',
  '.heic',
  '.avif',
])

/** Whether a path names an image file, by extension (case-insensitive). */
export function isImagePath(path: string): boolean {
  return IMAGE_EXTENSIONS.has(extName(path).toLowerCase())
}

/**
 * Hands out file names that never collide, compared case-insensitively (an export may be
 * unpacked on macOS or Windows). A taken `a/b.txt` becomes `a/b_2.txt`, then `a/b_3.txt`.
 */
export class NameAllocator {
  readonly #taken = new Set<string>()

  /** Whether a name is already handed out. */
  has(name: string): boolean {
    return this.#taken.has(name.toLowerCase())
  }

  /** Reserves a name that must not be handed out (a fixed file such as `data.yaml`). */
  reserve(name: string): void {
    this.#taken.add(name.toLowerCase())
  }

  /** Returns `wanted` if free, else the first free `<stem>_<n><ext>`, and reserves it. */
  allocate(wanted: string): string {
    const name = freeName(wanted, (candidate) => this.has(candidate))
    this.reserve(name)
    return name
  }
}

/** `wanted`, or the first of `<stem>_2<ext>`, `<stem>_3<ext>`... that `taken` says is free. */
export function freeName(wanted: string, taken: (name: string) => boolean): string {
  const stem = stripExt(wanted)
  const ext = extName(wanted)
  let name = wanted
  for (let n = 2; taken(name); n++) name = `${stem}_${n}${ext}`
  return name
}

/**
 * Looks files up by normalised path, so that `images/a%20b.jpg` in an annotation finds the
 * entry `images/a b.jpg` of a FileSet; falls back to a case-insensitive match when exactly one
 * file fits, since annotation tools on Windows often change case.
 */
export class PathIndex {
  readonly #exact = new Map<string, string>()
  readonly #folded = new Map<string, string[]>()

  constructor(paths: Iterable<string>) {
    for (const original of paths) {
      const normal = normalizePath(original)
      this.#exact.set(normal, original)
      const folded = normal.toLowerCase()
      this.#folded.set(folded, [...(this.#folded.get(folded) ?? []), original])
    }
  }

  /** The original path of the file that `path` names, or undefined. */
  find(path: string): string | undefined {
    const normal = normalizePath(path)
    const exact = this.#exact.get(normal)
    if (exact !== undefined) return exact
    const folded = this.#folded.get(normal.toLowerCase())
    return folded?.length === 1 ? folded[0] : undefined
  }
}
