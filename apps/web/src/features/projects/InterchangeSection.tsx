import { useQueryClient } from '@tanstack/react-query'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { api, errorText } from '../../app/api.ts'
import { projectKeys } from './queries.ts'

/**
 * Formats offered for import and export, by the server's `?format=` name. Multi-file formats
 * take a zip. TODO(#3): add CVAT, LabelMe and Concord's own format once the server registers them.
 */
export const INTERCHANGE_FORMATS = [
  { id: 'coco', name: 'COCO JSON', accept: '.json,.zip' },
  { id: 'coco-results', name: 'COCO results (predictions)', accept: '.json' },
  { id: 'yolo', name: 'YOLO (zip)', accept: '.zip' },
  { id: 'voc', name: 'Pascal VOC (XML or zip)', accept: '.xml,.zip' },
  { id: 'labelstudio', name: 'Label Studio JSON', accept: '.json' },
] as const

type ImportResult = {
  imported: { images: number; regions: number; labels: number }
  warnings: unknown[]
}

/** Import a file in the chosen format, or download an export in it. */
export function InterchangeSection({ projectId }: { projectId: string }) {
  const client = useQueryClient()
  const [formatId, setFormatId] = useState<string>(INTERCHANGE_FORMATS[0].id)
  const format = INTERCHANGE_FORMATS.find((f) => f.id === formatId) ?? INTERCHANGE_FORMATS[0]
  const importFile = useMutation({
    mutationFn: async (file: File) => {
      const query = new URLSearchParams({ format: format.id, fileName: file.name })
      // The file goes as it is; the server tells a zip from its bytes and reads the rest by format.
      return api<ImportResult>(`/api/projects/${projectId}/import?${query}`, {
        method: 'POST',
        body: file,
        headers: { 'content-type': file.type || 'application/octet-stream' },
      })
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: projectKeys.one(projectId) })
      void client.invalidateQueries({ queryKey: projectKeys.assets(projectId) })
    },
  })

  return (
    <section className="card" data-testid="interchange-section">
      <h2>Import and export</h2>
      <label>
        Format
        <select
          data-testid="interchange-format"
          value={formatId}
          onChange={(e) => setFormatId(e.target.value)}
        >
          {INTERCHANGE_FORMATS.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </select>
      </label>
      <div className="row">
        <label className="button">
          Import a file
          <input
            data-testid="import-file"
            type="file"
            accept={format.accept}
            hidden
            onChange={(e) => {
              const file = e.target.files?.[0]
              if (file) importFile.mutate(file)
              e.target.value = ''
            }}
          />
        </label>
        <a
          className="button"
          data-testid="export-link"
          href={`/api/projects/${projectId}/export?format=${format.id}`}
          download
        >
          Download export
        </a>
      </div>
      {importFile.isPending && <p className="muted">Importing…</p>}
      {importFile.error && <p className="error">{errorText(importFile.error)}</p>}
      {importFile.data && (
        <div data-testid="import-result">
          <p>
            Imported {importFile.data.imported.images} images, {importFile.data.imported.regions}{' '}
            regions, {importFile.data.imported.labels} new labels.
          </p>
          {importFile.data.warnings.length > 0 && (
            <ul className="warnings">
              {importFile.data.warnings.map((w, i) => (
                <li key={i}>{typeof w === 'string' ? w : JSON.stringify(w)}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  )
}
