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
