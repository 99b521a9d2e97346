import type { Refusal } from './upload-batches.ts'

/** The heading of the project page's section that imports annotation files and zips. */
export const IMPORT_SECTION_TITLE = 'Import and export'

/**
 * Files that hold annotations (or a dataset zip) rather than one image: the upload card sends
 * them nowhere, since the server would only answer that they are not images.
 */
const ANNOTATION_EXTENSIONS = ['.zip', '.json', '.jsonl', '.ndjson', '.xml']

/** What the import reads: the above, and YOLO's label and class-name text files. */
const IMPORT_EXTENSIONS = [...ANNOTATION_EXTENSIONS, '.txt']

/** Said for each annotation file or zip given to the upload card. */
export const NOT_FOR_UPLOAD = [
  'annotation files and zips are imported in',
  `“${IMPORT_SECTION_TITLE}” below; drop it there`,
].join(' ')

function hasExtension(name: string, extensions: readonly string[]): boolean {
  const lower = name.toLowerCase()
  return extensions.some((ext) => lower.endsWith(ext))
}

/** Whether a file is an annotation file or zip, by its name or, for a zip, its media type. */
export function isAnnotationFile(file: { name: string; type?: string }): boolean {
  return hasExtension(file.name, ANNOTATION_EXTENSIONS) || /\bzip\b/.test(file.type ?? '')
}

/**
 * Splits what was given to the upload card into the files to send and those refused before
 * sending, each refusal saying where such a file goes instead.
 */
export function sortUploadItems<T extends { file: { name: string; type?: string }; path: string }>(
  items: readonly T[],
): { send: T[]; refused: Refusal[] } {
  const send: T[] = []
  const refused: Refusal[] = []
  for (const item of items) {
    if (isAnnotationFile(item.file)) refused.push({ fileName: item.path, message: NOT_FOR_UPLOAD })
    else send.push(item)
  }
  return { send, refused }
}

/** A file dropped on the import section; `isDirectory` when the browser says it is a folder. */
export type DroppedFile = { name: string; type?: string; isDirectory?: boolean }

/**
 * The one file to import from a drop on the import section, or why there is none: an import
 * takes a single file, and a folder has to be zipped first.
 */
export function pickImportDrop<T extends DroppedFile>(
  dropped: readonly T[],
): { pick: T } | { refusal: string } {
  const [only, ...others] = dropped
  if (!only) return { refusal: 'Nothing to import in that drop.' }
  if (others.length > 0) return { refusal: 'Drop one file or zip at a time.' }
  if (only.isDirectory) return { refusal: `${only.name} is a folder: zip it, then drop the zip.` }
  if (!hasExtension(only.name, IMPORT_EXTENSIONS) && !isAnnotationFile(only)) {
    return {
      refusal: `${only.name} is not an annotation file or zip; images are added in “Upload” above.`,
    }
  }
  return { pick: only }
}
