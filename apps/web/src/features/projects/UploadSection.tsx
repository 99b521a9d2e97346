import { useState, type DragEvent } from 'react'
import { errorText } from '../../app/api.ts'
import { itemsFromDrop, itemsFromFileList } from './collect-files.ts'
import { useUpload, type UploadItem } from './queries.ts'
import type { Refusal, UploadProgress } from './upload-batches.ts'

/**
 * Drop files or folders, or pick them; they go in batches with a progress line, and the files
 * the server refused in any batch are listed together at the end.
 */
export function UploadSection({ projectId }: { projectId: string }) {
  const upload = useUpload(projectId)
  const [over, setOver] = useState(false)
  const [refusals, setRefusals] = useState<Refusal[]>([])
  const [summary, setSummary] = useState<string | null>(null)
  const [progress, setProgress] = useState<UploadProgress | null>(null)

  const send = (items: UploadItem[]) => {
    if (items.length === 0 || upload.isPending) return
    setSummary(null)
    setRefusals([])
    upload.mutate(
      { items, onProgress: setProgress },
      {
        onSuccess: (outcome) => {
          setSummary(`${outcome.stored} of ${outcome.total} files added.`)
          setRefusals(outcome.refusals)
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
            Uploading… {progress.done} of {progress.total} files
          </span>
        )}
      </div>
      {summary && <p data-testid="upload-summary">{summary}</p>}
      {upload.error && <p className="error">{errorText(upload.error)}</p>}
      {refusals.length > 0 && (
        <ul className="refusals" data-testid="upload-refusals">
          {refusals.map((r, i) => (
            <li key={i}>
              <strong>{r.fileName}</strong>: {r.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
