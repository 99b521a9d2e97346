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

  let unpacked: Record<string, Uint8Array>
  try {
    unpacked = unzipSync(data, {
      filter: (file) => {
        if (file.name.endsWith('/') || file.name.endsWith('\\')) return false
        const path = safeEntryPath(archive, file.name)
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

/** Already-compressed formats gain nothing from deflate; storing them saves time. */
const STORED_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.gif', '.webp', '.zip', '.avif'])

/** Packs a FileSet into a zip; paths are written as given, images stored without deflate. */
export function zipFileSet(files: FileSet): Uint8Array {
  const zippable: Zippable = {}
  for (const [path, bytes] of files) {
    const level = STORED_EXTENSIONS.has(extName(path).toLowerCase()) ? 0 : 6
    zippable[path] = [bytes, { level }]
  }
  return zipSync(zippable)
}
