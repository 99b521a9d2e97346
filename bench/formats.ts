/**
 * Interchange benchmark: COCO import and export of 100,000 regions over 5,000 images, and YOLO
 * export of the same. Each phase runs in its own child process so that its peak memory
 * (`maxRSS`) is its own. Targets (issue #3): export < 2 s, import < 5 s, peak < 1 GiB.
 *
 *   node --import tsx bench/formats.ts
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { FORMATS, type FormatName, type InterchangeDataset } from '@concord/shared/formats/index'

const IMAGES = 5_000
const REGIONS_PER_IMAGE = 20
const LABELS = ['car', 'person', 'bicycle', 'dog', 'cat', 'truck', 'bus', 'sign']

/** A deterministic dataset: half boxes, half 8-point polygons, spread over the images. */
function makeDataset(): InterchangeDataset {
  let seed = 1
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31)
  const items = []
  for (let i = 0; i < IMAGES; i++) {
    const width = 1280
    const height = 720
    const regions = []
    for (let r = 0; r < REGIONS_PER_IMAGE; r++) {
      const x = rand() * (width - 100)
      const y = rand() * (height - 100)
      const w = 10 + rand() * 90
      const h = 10 + rand() * 90
      const label = LABELS[r % LABELS.length] ?? 'car'
      if (r % 2 === 0) {
        regions.push({ kind: 'bbox' as const, label, geometry: { x, y, w, h }, attributes: {} })
      } else {
        const points: [number, number][] = []
        for (let k = 0; k < 8; k++) {
          const a = (k / 8) * 2 * Math.PI
          points.push([x + w / 2 + (Math.cos(a) * w) / 2, y + h / 2 + (Math.sin(a) * h) / 2])
        }
        regions.push({ kind: 'polygon' as const, label, geometry: { points }, attributes: {} })
      }
    }
    const path = `images/${String(i).padStart(5, '0')}.jpg`
    items.push({ key: path, subset: '', path, width, height, regions, tags: [] })
  }
  return { labels: LABELS.map((name) => ({ name })), items }
}

function entry(name: FormatName) {
  const found = FORMATS[name]
  if (!found) throw new Error(`no ${name} format`)
  return found
}

type PhaseResult = { phase: string; ms: number; maxRssMiB: number; bytes: number }

function runPhase(phase: string): PhaseResult {
  const dataset = makeDataset()
  const sizes = new Map(dataset.items.map((i) => [i.path, { width: 1280, height: 720 }]))
  let ms = 0
  let bytes = 0
  if (phase === 'coco-export' || phase === 'yolo-export') {
    const format = phase === 'coco-export' ? 'coco' : 'yolo'
    const start = performance.now()
    const { files } = entry(format).export(dataset)
    ms = performance.now() - start
    for (const b of files.values()) bytes += b.byteLength
  } else if (phase === 'coco-import') {
    const { files } = entry('coco').export(dataset)
    for (const b of files.values()) bytes += b.byteLength
    const start = performance.now()
    const { dataset: back } = entry('coco').import(files, { sizeOf: (p: string) => sizes.get(p) })
    ms = performance.now() - start
    const count = back.items.reduce((n, i) => n + i.regions.length, 0)
    if (count !== IMAGES * REGIONS_PER_IMAGE) throw new Error(`imported ${count} regions`)
  } else {
    throw new Error(`unknown phase ${phase}`)
  }
  // maxRSS is in KiB.
  return { phase, ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, bytes }
}

const phaseArg = process.argv[2]
if (phaseArg) {
  console.log(JSON.stringify(runPhase(phaseArg)))
} else {
  const self = fileURLToPath(import.meta.url)
  console.log(`interchange: ${IMAGES} images, ${IMAGES * REGIONS_PER_IMAGE} regions`)
  for (const phase of ['coco-export', 'coco-import', 'yolo-export']) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', self, phase], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    })
    const r = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as PhaseResult
    console.log(
      `${r.phase.padEnd(12)} ${r.ms.toFixed(0).padStart(6)} ms  peak ${r.maxRssMiB.toFixed(0)} MiB  ` +
        `output ${(r.bytes / 2 ** 20).toFixed(1)} MiB`,
    )
  }
}
