import { useState, type DragEvent } from 'react'
import { errorText } from '../../app/api.ts'
import { IMPORT_SECTION_TITLE, pickImportDrop } from './file-kinds.ts'
import { JobList } from './JobList.tsx'
import { useStartExport, useStartImport } from './jobs.ts'

type Choice = { value: string; name: string }
type FormatChoice = {
  id: string
  name: string
  /** File types the import picker offers; every format also takes a zip. */
  accept: string
  importOptions?: { key: string; name: string; choices: Choice[] }[]
  exportOptions?: { key: string; name: string; choices: Choice[] }[]
}

/** The formats the server registers (`?format=`), with the options each one takes. */
export const INTERCHANGE_FORMATS: FormatChoice[] = [
  {
    id: 'coco',
    name: 'COCO JSON',
    accept: '.json,.zip',
    exportOptions: [
      {
        key: 'crowd',
        name: 'Crowd regions',
        choices: [
          { value: 'rle', name: 'as RLE' },
          { value: 'skip', name: 'skip (reported)' },
        ],
      },
    ],
  },
  { id: 'coco-results', name: 'COCO results (predictions)', accept: '.json,.zip' },
  {
    id: 'yolo',
    name: 'YOLO (zip)',
    accept: '.zip',
    exportOptions: [
      {
        key: 'task',
        name: 'Task',
        choices: [
          { value: 'detect', name: 'detect (boxes)' },
          { value: 'segment', name: 'segment (polygons)' },
          { value: 'obb', name: 'obb (rotated boxes)' },
          { value: 'pose', name: 'pose (keypoints)' },
        ],
      },
    ],
  },
  {
    id: 'voc',
    name: 'Pascal VOC (XML or zip)',
    accept: '.xml,.zip',
    importOptions: [
      {
        key: 'convention',
        name: 'Coordinates',
        choices: [
          { value: 'one-based', name: '1-based pixels (VOC devkit)' },
          { value: 'zero-based-continuous', name: '0-based continuous' },
        ],
      },
    ],
    exportOptions: [
      {
        key: 'segmentation',
        name: 'Segmentation PNGs',
        choices: [
          { value: 'auto', name: 'when the project has masks' },
          { value: 'true', name: 'always (polygons rasterised too)' },
          { value: 'false', name: 'never (boxes only)' },
        ],
      },
    ],
  },
  { id: 'cvat', name: 'CVAT for images 1.1 (XML)', accept: '.xml,.zip' },
  {
    id: 'labelme',
    name: 'labelme JSON (file or zip)',
    accept: '.json,.zip',
    exportOptions: [
      {
        key: 'flavour',
        name: 'Flavour',
        choices: [
          { value: 'labelme', name: 'labelme (rotated boxes as polygons)' },
          { value: 'anylabeling', name: 'AnyLabeling / X-AnyLabeling (rotation shapes)' },
        ],
      },
    ],
  },
  { id: 'labelstudio', name: 'Label Studio JSON', accept: '.json,.zip' },
  { id: 'concord', name: 'Concord JSON Lines (lossless)', accept: '.jsonl,.ndjson,.zip' },
]

const IMPORT_MODES: Choice[] = [
  { value: 'append', name: 'add to what is there' },
  { value: 'replace', name: 'replace the regions of matched images' },
]

/**
 * Import a file (chosen, or dropped on the import part), or export the project, in the chosen
 * format. Both run as jobs on the server; the list below shows their progress and lets them be
 * cancelled.
 */
export function InterchangeSection({
  projectId,
  canImport,
  canExport,
}: {
  projectId: string
  canImport: boolean
  canExport: boolean
}) {
  const [formatId, setFormatId] = useState(INTERCHANGE_FORMATS[0]!.id)
  const format = INTERCHANGE_FORMATS.find((f) => f.id === formatId) ?? INTERCHANGE_FORMATS[0]!
  const [importChoices, setImportChoices] = useState<Record<string, string>>({ mode: 'append' })
  const [exportChoices, setExportChoices] = useState<Record<string, string>>({})
  const [withImages, setWithImages] = useState(false)
  const [over, setOver] = useState(false)
  const [dropRefusal, setDropRefusal] = useState<string | null>(null)
  const startImport = useStartImport(projectId)
  const startExport = useStartExport(projectId)

  const chosen = (options: FormatChoice['importOptions'], picked: Record<string, string>) =>
    Object.fromEntries(
      (options ?? []).map((o) => [o.key, picked[o.key] ?? o.choices[0]?.value ?? '']),
    )

  const importFile = (file: File) => {
    setDropRefusal(null)
    const options = {
      mode: importChoices.mode ?? 'append',
      ...chosen(format.importOptions, importChoices),
    }
    startImport.mutate({ file, format: format.id, options })
  }

  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    setOver(false)
    const dropped = [...e.dataTransfer.items]
      .filter((item) => item.kind === 'file')
      .flatMap((item) => {
        const file = item.getAsFile()
        const isDirectory = item.webkitGetAsEntry()?.isDirectory ?? false
        return file ? [{ file, name: file.name, type: file.type, isDirectory }] : []
      })
    const choice = pickImportDrop(dropped)
    if ('pick' in choice) {
      importFile(choice.pick.file)
    } else {
      startImport.reset()
      setDropRefusal(choice.refusal)
    }
  }

  return (
    <section className="card" data-testid="interchange-section">
      <h2>{canImport ? IMPORT_SECTION_TITLE : 'Export'}</h2>
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
      {canImport && (
        <fieldset
          className={`drop-zone${over ? ' is-over' : ''}`}
          data-testid="import-drop-zone"
          onDragOver={(e) => {
            e.preventDefault()
            setOver(true)
          }}
          onDragLeave={() => setOver(false)}
          onDrop={onDrop}
        >
          <legend>Import</legend>
          <p className="muted">Drop an annotation file or zip here, or choose it.</p>
          <OptionSelect
            name="Existing regions"
            choices={IMPORT_MODES}
            value={importChoices.mode ?? 'append'}
            onChange={(mode) => setImportChoices({ ...importChoices, mode })}
          />
          {format.importOptions?.map((o) => (
            <OptionSelect
              key={o.key}
              name={o.name}
              choices={o.choices}
              value={importChoices[o.key] ?? o.choices[0]?.value ?? ''}
              onChange={(v) => setImportChoices({ ...importChoices, [o.key]: v })}
            />
          ))}
          <label className="button">
            Choose a file or zip…
            <input
              data-testid="import-file"
              type="file"
              accept={format.accept}
              hidden
              onChange={(e) => {
                const file = e.target.files?.[0]
                if (file) importFile(file)
                e.target.value = ''
              }}
            />
          </label>
          {dropRefusal && (
            <p className="error" data-testid="import-drop-refusal">
              {dropRefusal}
            </p>
          )}
          {startImport.error && <p className="error">{errorText(startImport.error)}</p>}
        </fieldset>
      )}
      {canExport && (
        <fieldset>
          <legend>Export</legend>
          {format.exportOptions?.map((o) => (
            <OptionSelect
              key={o.key}
              name={o.name}
              choices={o.choices}
              value={exportChoices[o.key] ?? o.choices[0]?.value ?? ''}
              onChange={(v) => setExportChoices({ ...exportChoices, [o.key]: v })}
            />
          ))}
          <label className="check">
            <input
              type="checkbox"
              data-testid="export-images"
              checked={withImages}
              onChange={(e) => setWithImages(e.target.checked)}
            />
            with the images (a zip)
          </label>
          <button
            type="button"
            data-testid="export-start"
            disabled={startExport.isPending}
            onClick={() =>
              startExport.mutate({
                format: format.id,
                images: withImages,
                options: chosen(format.exportOptions, exportChoices),
              })
            }
          >
            Export
          </button>
          {startExport.error && <p className="error">{errorText(startExport.error)}</p>}
        </fieldset>
      )}
      <JobList projectId={projectId} />
    </section>
  )
}

function OptionSelect(props: {
  name: string
  choices: Choice[]
  value: string
  onChange: (value: string) => void
}) {
  return (
    <label>
      {props.name}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  )
}
