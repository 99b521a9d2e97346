import type { NewRegion } from '@concord/shared'

/** One generated sample image: its SVG drawing and the regions that outline what is drawn. */
export type SampleScene = {
  fileName: string
  svg: string
  regions: (Omit<NewRegion, 'labelId'> & { label: string })[]
}

export const SAMPLE_LABELS = [
  { name: 'circle', color: '#e6194b', hotkey: 1 },
  { name: 'square', color: '#4363d8', hotkey: 2 },
  { name: 'triangle', color: '#3cb44b', hotkey: 3 },
] as const

const WIDTH = 640
const HEIGHT = 480

type Shape =
  | { type: 'circle'; cx: number; cy: number; r: number; fill: string }
  | { type: 'square'; x: number; y: number; size: number; fill: string }
  | { type: 'triangle'; points: [number, number][]; fill: string }

/**
 * Four scenes of coloured shapes on simple backgrounds. Made here, so the sample project
 * needs no download and its images carry no licence question. The last scene leaves one shape
 * unlabelled, so there is something left to do.
 */
export function sampleScenes(): SampleScene[] {
  const scenes: { background: string; shapes: Shape[]; labelled: number }[] = [
    {
      background: '#f4f1e8',
      shapes: [
        { type: 'circle', cx: 160, cy: 160, r: 80, fill: '#e6194b' },
        { type: 'square', x: 360, y: 220, size: 160, fill: '#4363d8' },
      ],
      labelled: 2,
    },
    {
      background: '#e8f0f4',
      shapes: [
        {
          type: 'triangle',
          points: [
            [120, 400],
            [260, 120],
            [400, 400],
          ],
          fill: '#3cb44b',
        },
        { type: 'circle', cx: 500, cy: 140, r: 60, fill: '#f58231' },
      ],
      labelled: 2,
    },
    {
      background: '#f4e8f0',
      shapes: [
        { type: 'square', x: 60, y: 60, size: 120, fill: '#911eb4' },
        { type: 'square', x: 240, y: 200, size: 90, fill: '#4363d8' },
        {
          type: 'triangle',
          points: [
            [420, 80],
            [580, 120],
            [470, 300],
          ],
          fill: '#bfef45',
        },
      ],
      labelled: 3,
    },
    {
      background: '#eef4e8',
      shapes: [
        { type: 'circle', cx: 220, cy: 260, r: 120, fill: '#42d4f4' },
        {
          type: 'triangle',
          points: [
            [430, 380],
            [520, 200],
            [610, 380],
          ],
          fill: '#e6194b',
        },
      ],
      labelled: 1,
    },
  ]
  return scenes.map((scene, i) => ({
    fileName: `shapes-${i + 1}.png`,
    svg: drawScene(scene.background, scene.shapes),
    regions: scene.shapes.slice(0, scene.labelled).map(outline),
  }))
}

function drawScene(background: string, shapes: Shape[]): string {
  const body = shapes
    .map((s) => {
      if (s.type === 'circle')
        return `<circle cx="${s.cx}" cy="${s.cy}" r="${s.r}" fill="${s.fill}"/>`
      if (s.type === 'square') {
        return `<rect x="${s.x}" y="${s.y}" width="${s.size}" height="${s.size}" fill="${s.fill}"/>`
      }
      return `<polygon points="${s.points.map((p) => p.join(',')).join(' ')}" fill="${s.fill}"/>`
    })
    .join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><rect width="100%" height="100%" fill="${background}"/>${body}</svg>`
}

/** The region that outlines a shape: a box for squares, polygons for the rest. */
function outline(shape: Shape): SampleScene['regions'][number] {
  if (shape.type === 'square') {
    return {
      label: 'square',
      kind: 'bbox',
      geometry: { x: shape.x, y: shape.y, w: shape.size, h: shape.size },
    }
  }
  if (shape.type === 'triangle') {
    return { label: 'triangle', kind: 'polygon', geometry: { points: shape.points } }
  }
  // Twenty-four vertices follow a circle to within half a pixel at these sizes.
  const points: [number, number][] = Array.from({ length: 24 }, (_, k) => {
    const a = (2 * Math.PI * k) / 24
    const round = (v: number) => Math.round(v * 100) / 100
    return [round(shape.cx + shape.r * Math.cos(a)), round(shape.cy + shape.r * Math.sin(a))]
  })
  return { label: 'circle', kind: 'polygon', geometry: { points } }
}
