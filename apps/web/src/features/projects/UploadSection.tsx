import { useState, type DragEvent } from 'react'
import { errorText } from '../../app/api.ts'
import { CollapsedList } from '../../ui/CollapsedList.tsx'
import { countOf } from '../../ui/count.ts'
import { itemsFromDrop, itemsFromFileList } from './collect-files.ts'
import { sortUploadItems } from './file-kinds.ts'
import { useUpload, type UploadItem } from './queries.ts'
import type { Refusal, UploadProgress } from './upload-batches.ts'

/**
 * Drop files or folders, or pick them; they go in batches with a progress line, and the files
 * the server refused in any batch are listed together at the end. Annotation files and zips are
 * refused before sending, with a pointer to the import.
 */
export function UploadSection({ projectId }: { projectId: string }) {
  const upload = useUpload(projectId)
  const [over, setOver] = useState(false)
  const [refusals, setRefusals] = useState<Refusal[]>([])
  const [summary, setSummary] = useState<string | null>(null)
  const [progress, setProgress] = useState<UploadProgress | null>(null)

  const send = (items: UploadItem[]) => {
    if (items.length === 0 || upload.isPending) return
    const { send: images, refused } = sortUploadItems(items)
    setSummary(null)
    setRefusals(refused)
    const added = (stored: number) => `${stored} of ${countOf(items.length, 'file')} added.`
    if (images.length === 0) {
      setSummary(added(0))
      return
    }
    upload.mutate(
      { items: images, onProgress: setProgress },
      {
        onSuccess: (outcome) => {
          setSummary(added(outcome.stored))
          setRefusals([...refused, ...outcome.refusals])
        },
        onSettled: () => setProgress(null),
      },
    )
  }

  const onDrop = async (e: DragEvent) => {
    e.preventDefault()
    setOver(false)
    send(await itemsFromDrop(e.dataTransfer))
  }

  return (
    <section
      className={`card drop-zone${over ? ' is-over' : ''}`}
      data-testid="upload-drop-zone"
      onDragOver={(e) => {
        e.preventDefault()
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <h2>Upload</h2>
      <p className="muted">Drop images or folders here, or choose them.</p>
      <div className="row">
        <label className="button">
          Choose files
          <input
            data-testid="upload-files"
            type="file"
            multiple
            accept="image/*"
            hidden
            onChange={(e) => {
              if (e.target.files) send(itemsFromFileList(e.target.files))
              e.target.value = ''
            }}
          />
        </label>
        <label className="button">
          Choose a folder
          <input
            data-testid="upload-folder"
            type="file"
            multiple
            hidden
            // React does not know the attribute; the ref sets it on the element.
            ref={(el) => el?.setAttribute('webkitdirectory', '')}
            onChange={(e) => {
              if (e.target.files) send(itemsFromFileList(e.target.files))
              e.target.value = ''
            }}
          />
        </label>
        {upload.isPending && progress && (
          <span className="muted" data-testid="upload-progress">
            Uploading… {progress.done} of {countOf(progress.total, 'file')}
          </span>
        )}
      </div>
      {summary && <p data-testid="upload-summary">{summary}</p>}
      {upload.error && <p className="error">{errorText(upload.error)}</p>}
      {refusals.length > 0 && (
        <CollapsedList
          className="refusals"
          testId="upload-refusals"
          items={refusals}
          render={(r) => (
            <>
              <strong>{r.fileName}</strong>: {r.message}
            </>
          )}
        />
      )}
    </section>
  )
}
