import { useState, type DragEvent } from 'react'
import { ApiError, errorText, type UploadRefusal } from '../../app/api.ts'
import { itemsFromDrop, itemsFromFileList } from './collect-files.ts'
import { useUpload, type UploadItem } from './queries.ts'

/** Drop files or folders, or pick them; per-file refusals from the server are listed. */
export function UploadSection({ projectId }: { projectId: string }) {
  const upload = useUpload(projectId)
  const [over, setOver] = useState(false)
  const [refusals, setRefusals] = useState<UploadRefusal[]>([])
  const [summary, setSummary] = useState<string | null>(null)

  const send = (items: UploadItem[]) => {
    if (items.length === 0) return
    setSummary(null)
    setRefusals([])
    upload.mutate(items, {
      onSuccess: (res) => {
        setSummary(`${res.assets.length} of ${items.length} files added.`)
        setRefusals(res.errors)
      },
      onError: (error) => {
        // When every file is refused the server answers with an error that still lists them.
        const listed = refusalsOf(error)
        if (listed.length === 0) return
        setSummary(`0 of ${items.length} files added.`)
        setRefusals(listed)
      },
    })
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
        {upload.isPending && <span className="muted">Uploading…</span>}
      </div>
      {summary && <p data-testid="upload-summary">{summary}</p>}
      {upload.error && refusals.length === 0 && <p className="error">{errorText(upload.error)}</p>}
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

function refusalsOf(error: unknown): UploadRefusal[] {
  if (!(error instanceof ApiError)) return []
  const listed = (error.details as { errors?: unknown } | undefined)?.errors
  return Array.isArray(listed) ? (listed as UploadRefusal[]) : []
}
