/**
 * Normalises the relative path an upload carries in its file name: `/` separators, no empty,
 * `.` or `..` segments, no leading `/`, no control characters, NFC. The result is only ever a
 * database value and a key for matching annotations, never a path on disk. Null when nothing
 * is left.
 */
export function normaliseRelativePath(name: string): string | null {
  const segments = name
    .normalize('NFC')
    .replace(/\\/g, '/')
    .split('/')
    .map((segment) => segment.replace(/[\u0000-\u001f\u007f]/g, '').trim())
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..')
  if (segments.length === 0) return null
  const joined = segments.join('/')
  // Long enough for deep dataset trees; a name past it is almost surely not a real path.
  return joined.length <= 1024 ? joined : null
}

/**
 * The form names are compared in when matching annotation files to assets: URL-decoded (when
 * it decodes), normalised as above.
 */
export function matchKey(name: string): string {
  let decoded = name
  try {
    decoded = decodeURIComponent(name)
  } catch {
    // A lone `%` is a legal character in a file name; keep the name as it is.
  }
  return normaliseRelativePath(decoded) ?? decoded
}

/** The last segment of a `/`-separated path. */
export function baseName(relativePath: string): string {
  return relativePath.slice(relativePath.lastIndexOf('/') + 1)
}
