import type { UploadItem } from './queries.ts'

/**
 * The relative path to send for a picked file: the folder picker's `webkitRelativePath` when
 * there is one, else the bare name. Leading slashes (from drop entries) are dropped.
 */
export function relativePathOf(
  file: { name: string; webkitRelativePath?: string },
  entryPath?: string,
): string {
  const path = entryPath || file.webkitRelativePath || file.name
  return path.replace(/^\/+/, '')
}

export function itemsFromFileList(files: FileList | File[]): UploadItem[] {
  return [...files].map((file) => ({ file, path: relativePathOf(file) }))
}

/**
 * Every file in a drop, walking dropped folders, each with its path inside the drop. Entries
 * must be taken from the DataTransfer synchronously, before the first await.
 */
export async function itemsFromDrop(data: DataTransfer): Promise<UploadItem[]> {
  const entries = [...data.items]
    .map((item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null)
  if (entries.length === 0) return itemsFromFileList(data.files)
  const out: UploadItem[] = []
  for (const entry of entries) await walk(entry, out)
  return out
}

async function walk(entry: FileSystemEntry, out: UploadItem[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    )
    out.push({ file, path: relativePathOf(file, entry.fullPath) })
    return
  }
  if (!entry.isDirectory) return
  const reader = (entry as FileSystemDirectoryEntry).createReader()
  // readEntries hands out at most ~100 entries per call; call until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    )
    if (batch.length === 0) break
    for (const child of batch) await walk(child, out)
  }
}
