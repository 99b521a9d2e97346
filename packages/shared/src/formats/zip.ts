import { unzipSync, zipSync, type Zippable } from 'fflate'
import { FormatError, type FileSet } from './model.ts'
import { extName, normalizePath } from './paths.ts'

/**
 * Default cap on the unpacked size of an archive. 2 GiB covers a large labelled image set while
 * stopping a zip bomb before it takes the server's memory.
 */
export const DEFAULT_MAX_UNPACKED_BYTES = 2 * 1024 ** 3

/** Default cap on entries: a million files is beyond any dataset we import in one request. */
export const DEFAULT_MAX_ENTRIES = 1_000_000

export type UnzipOptions = {
  /** Name of the archive, for error messages. */
  name?: string
  maxUnpackedBytes?: number
  maxEntries?: number
}

/** Entries that archivers add on their own and that are never part of a dataset. */
function isArchiverNoise(path: string): boolean {
  return path.startsWith('__MACOSX/') || path.split('/').some((s) => s === '.DS_Store')
}

/**
 * Checks one entry name and returns it normalised, or throws a FormatError naming the entry.
 * Refuses anything that could land outside the target folder once unpacked: `..` segments,
 * absolute paths, drive letters, and the same tricks spelt with backslashes or escapes.
 */
export function safeEntryPath(archive: string, entry: string): string {
  const refuse = (why: string): never => {
    throw new FormatError(archive, entry, `unsafe entry name: ${why}`)
  }
  if (entry.includes('\0')) refuse('contains a NUL character')
  const slashed = entry.replace(/\\/g, '/')
  if (slashed.startsWith('/')) refuse('absolute path')
  if (/^[a-zA-Z]:/.test(slashed)) refuse('drive letter')
  if (slashed.split('/').includes('..')) refuse('parent folder (..)')
  const normal = normalizePath(entry)
  // Escapes such as %2e%2e%2f decode to a traversal only after normalisation.
  if (normal.split('/').includes('..')) refuse('parent folder (..) after decoding')
  if (/^[a-zA-Z]:/.test(normal) || normal.startsWith('/')) refuse('absolute path after decoding')
  return normal
}

/**
 * Unpacks a zip into a FileSet keyed by normalised paths. Folders and archiver litter
 * (`__MACOSX/`, `.DS_Store`) are skipped. Throws a FormatError for an unsafe entry name, two
 * entries that normalise to one path, or an archive whose declared unpacked size passes the
 * limit. Memory stays bounded: fflate inflates each entry into a buffer of its declared size.
 */
export function unzipToFileSet(data: Uint8Array, options: UnzipOptions = {}): FileSet {
  const archive = options.name ?? 'archive.zip'
  const maxBytes = options.maxUnpackedBytes ?? DEFAULT_MAX_UNPACKED_BYTES
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES
  const names = new Map<string, string>()
  let total = 0
  let entries = 0

  const unflagged = unflaggedNames(data)
  let unpacked: Record<string, Uint8Array>
  try {
    unpacked = unzipSync(data, {
      filter: (file) => {
        if (file.name.endsWith('/') || file.name.endsWith('\\')) return false
        const path = safeEntryPath(
          archive,
          unflagged.has(file.name) ? utf8Unflagged(file.name) : file.name,
        )
        if (isArchiverNoise(path)) return false
        const other = names.get(path)
        if (other !== undefined) {
          throw new FormatError(archive, file.name, `entry collides with ${other}`)
        }
        names.set(path, file.name)
        total += file.originalSize
        entries += 1
        if (total > maxBytes) {
          throw new FormatError(archive, file.name, `unpacked size passes ${maxBytes} bytes`)
        }
        if (entries > maxEntries) {
          throw new FormatError(archive, file.name, `more than ${maxEntries} entries`)
        }
        return true
      },
    })
  } catch (error) {
    if (error instanceof FormatError) throw error
    throw new FormatError(archive, undefined, `not a readable zip (${String(error)})`)
  }

  const files: FileSet = new Map()
  for (const [path, original] of names) {
    const bytes = unpacked[original]
    if (bytes) files.set(path, bytes)
  }
  return files
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The names (as Latin-1, the way fflate reads them) of the central directory's entries whose
 * UTF-8 flag is unset. A damaged directory gives what it can; fflate then says what is wrong.
 */
function unflaggedNames(data: Uint8Array): Set<string> {
  const names = new Set<string>()
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  // The end-of-directory record sits in the last 22 bytes plus a comment of up to 64 KiB.
  let end = -1
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i
      break
    }
  }
  if (end < 0) return names
  let at = view.getUint32(end + 16, true)
  const count = view.getUint16(end + 10, true)
  for (let n = 0; n < count && at + 46 <= data.length; n++) {
    if (view.getUint32(at, true) !== 0x02014b50) break
    const flags = view.getUint16(at + 8, true)
    const nameLength = view.getUint16(at + 28, true)
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true)
    if (!(flags & 0x800)) {
      let name = ''
      for (const byte of data.subarray(at + 46, at + 46 + nameLength))
        name += String.fromCharCode(byte)
      names.add(name)
    }
    at += 46 + skip
  }
  return names
}

/**
 * An entry name as its archiver meant it. Names without the zip's UTF-8 flag are read as
 * Latin-1, but macOS's Finder and many other archivers write UTF-8 without setting the flag
 * (`café.jpg` would read as `cafÃ©.jpg` and match no annotation): a name whose bytes are valid
 * UTF-8 with some multi-byte character is read as UTF-8. Other legacy code pages (a Chinese
 * Windows zip's GBK) cannot be told apart from Latin-1 and stay as they are.
 */
function utf8Unflagged(name: string): string {
  let high = false
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    if (c > 0xff) return name
    if (c >= 0x80) high = true
  }
  if (!high) return name
  try {
    return strictUtf8.decode(Uint8Array.from(name, (ch) => ch.charCodeAt(0)))
  } catch {
    return name
  }
}

/** Already-compressed formats gain nothing from deflate; storing them saves time. */
const STORED_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.gif', '.webp', '.zip', '.avif'])

/**
 * Files smaller than this are stored, not deflated. A YOLO export is thousands of label files
 * of a few hundred bytes: deflating them took ten times as long as storing them (about half a
 * second of a 100,000-region export, on the thread live edits share) to save under 3 MB.
 */
const STORED_BELOW_BYTES = 4096

/** Packs a FileSet into a zip; paths are written as given, images and small files stored. */
export function zipFileSet(files: FileSet): Uint8Array {
  const zippable: Zippable = {}
  for (const [path, bytes] of files) {
    const stored =
      bytes.byteLength < STORED_BELOW_BYTES || STORED_EXTENSIONS.has(extName(path).toLowerCase())
    const level = stored ? 0 : 6
    zippable[path] = [bytes, { level }]
  }
  return zipSync(zippable)
}
