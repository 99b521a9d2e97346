import { decode, encode } from 'fast-png'
import { rleFromBinary, rleToBinary, type Rle } from '../../geometry/index.ts'
import { FormatError } from '../model.ts'

/**
 * Pascal VOC segmentation images: one palette PNG per image, each pixel an index. In
 * `SegmentationObject/` index i is the i-th `<object>` of the annotation; in `SegmentationClass/`
 * it is a class of {@link VOC_CLASSES}. 0 is background and 255 the "void" band VOC draws along
 * object borders, which belongs to no object.
 */

/** The 21 classes of VOC 2007-2012, in index order. */
export const VOC_CLASSES = [
  'background',
  'aeroplane',
  'bicycle',
  'bird',
  'boat',
  'bottle',
  'bus',
  'car',
  'cat',
  'chair',
  'cow',
  'diningtable',
  'dog',
  'horse',
  'motorbike',
  'person',
  'pottedplant',
  'sheep',
  'sofa',
  'train',
  'tvmonitor',
] as const

/** The index of pixels on object borders that count as no object. */
export const VOID_INDEX = 255

/** A row-major image of palette indices. */
export type IndexImage = { width: number; height: number; index: Uint8Array }

/**
 * VOC's colour map: the bits of an index, three at a time, spread from the top bit down over red,
 * green and blue. Index 1 is dark red (128, 0, 0), 255 is (224, 224, 192).
 */
export function vocColormap(): [number, number, number][] {
  const colours: [number, number, number][] = []
  for (let i = 0; i < 256; i++) {
    let [r, g, b] = [0, 0, 0]
    let c = i
    for (let shift = 7; shift >= 0; shift--) {
      r |= (c & 1) << shift
      g |= ((c >> 1) & 1) << shift
      b |= ((c >> 2) & 1) << shift
      c >>= 3
    }
    colours.push([r, g, b])
  }
  return colours
}

/** An RGB colour per index: a dataset's own class colours, by class index. */
export type IndexColours = readonly (readonly [number, number, number])[]

/**
 * Reads a segmentation PNG as indices. Palette images give their raw index, whatever colour the
 * palette holds; greyscale images their value. RGB images (some converters write them) are read
 * back through `colours` when the dataset declares its own (a `labelmap.txt`'s, for class PNGs),
 * with VOC's void colour still void, else through the VOC colour map; a colour outside the map
 * is an error.
 */
export function readIndexPng(file: string, bytes: Uint8Array, colours?: IndexColours): IndexImage {
  let png: ReturnType<typeof decode>
  try {
    png = decode(bytes)
  } catch (error) {
    throw new FormatError(file, undefined, `not a readable PNG (${(error as Error).message})`)
  }
  const { width, height, channels, depth } = png
  const index = new Uint8Array(width * height)
  if (channels <= 2) {
    if (depth > 8) throw new FormatError(file, undefined, `${depth}-bit indices are not VOC's`)
    const perByte = 8 / depth
    const rowBytes = Math.ceil((width * channels * depth) / 8)
    const max = (1 << depth) - 1
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        // Sub-byte depths stay packed in fast-png's output; a grey-alpha pixel's first sample is its value.
        const i = x * channels
        const byte = png.data[y * rowBytes + Math.floor(i / perByte)] ?? 0
        index[y * width + x] = (byte >> (8 - depth * ((i % perByte) + 1))) & max
      }
    }
    return { width, height, index }
  }
  if (depth !== 8) throw new FormatError(file, undefined, `${depth}-bit colour is not VOC's`)
  const voc = vocColormap()
  const key = ([r, g, b]: readonly [number, number, number]) => (r << 16) | (g << 8) | b
  const byColour = colours
    ? new Map([[key(voc[VOID_INDEX]!), VOID_INDEX], ...colours.map((c, i) => [key(c), i] as const)])
    : new Map(voc.map((c, i) => [key(c), i]))
  const mapName = colours ? "the dataset's class colours" : 'the VOC colour map'
  for (let p = 0; p < width * height; p++) {
    const o = p * channels
    const i = byColour.get((png.data[o]! << 16) | (png.data[o + 1]! << 8) | png.data[o + 2]!)
    if (i === undefined) {
      const rgb = [png.data[o], png.data[o + 1], png.data[o + 2]].join(',')
      throw new FormatError(
        file,
        `pixel ${p % width},${Math.floor(p / width)}`,
        `colour ${rgb} is not in ${mapName}`,
      )
    }
    index[p] = i
  }
  return { width, height, index }
}

/** Column-major masks (COCO layout) of each index in `values` that has at least one pixel. */
export function masksOfIndex(image: IndexImage, values: Iterable<number>): Map<number, Rle> {
  const { width, height, index } = image
  const wanted = new Set(values)
  const bits = new Map<number, Uint8Array>()
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = index[y * width + x]!
      if (!wanted.has(v)) continue
      let mask = bits.get(v)
      if (!mask) bits.set(v, (mask = new Uint8Array(width * height)))
      mask[x * height + y] = 1
    }
  }
  const masks = new Map<number, Rle>()
  for (const v of [...bits.keys()].sort((a, b) => a - b))
    masks.set(v, rleFromBinary(bits.get(v)!, width, height))
  return masks
}

/**
 * Paints masks into an index image, the k-th at index k + 1, later ones over earlier ones.
 * Returns the image and how many pixels were claimed by two masks.
 */
export function paintIndex(
  width: number,
  height: number,
  masks: (Rle | undefined)[],
): { image: IndexImage; overlap: number } {
  const index = new Uint8Array(width * height)
  let overlap = 0
  masks.forEach((mask, k) => {
    if (!mask) return
    const bits = rleToBinary(mask)
    for (let x = 0; x < width; x++) {
      for (let y = 0; y < height; y++) {
        if (!bits[x * height + y]) continue
        const p = y * width + x
        if (index[p]) overlap++
        index[p] = k + 1
      }
    }
  })
  return { image: { width, height, index }, overlap }
}

/** Encodes indices as an 8-bit palette PNG with the VOC colour map, as the VOC devkit writes. */
export function writeIndexPng(image: IndexImage): Uint8Array {
  return encode({
    width: image.width,
    height: image.height,
    data: image.index,
    channels: 1,
    depth: 8,
    palette: vocColormap(),
  })
}
