/**
 * Run-length masks in COCO's layout: column-major (x outer, y inner), counts alternate
 * background and foreground runs and always start with a background run, which may be 0.
 */
export type Rle = { width: number; height: number; counts: number[] }

/** Encodes a column-major binary mask (`bits[x * height + y]`, non-zero is foreground). */
export function rleFromBinary(bits: ArrayLike<number>, width: number, height: number): Rle {
  const counts: number[] = []
  let current = 0
  let run = 0
  for (let i = 0; i < width * height; i++) {
    const value = bits[i] ? 1 : 0
    if (value !== current) {
      counts.push(run)
      run = 0
      current = value
    }
    run++
  }
  counts.push(run)
  return { width, height, counts }
}

/** Decodes to a column-major binary mask of `width * height` bytes. */
export function rleToBinary(rle: Rle): Uint8Array {
  const size = rle.width * rle.height
  const bits = new Uint8Array(size)
  let pos = 0
  rle.counts.forEach((count, i) => {
    const end = Math.min(size, pos + count)
    if (i % 2 === 1) bits.fill(1, pos, end)
    pos = end
  })
  return bits
}

/** Whether the counts add up to exactly the mask's pixel count. */
export function rleIsConsistent(rle: Rle): boolean {
  let total = 0
  for (const c of rle.counts) total += c
  return total === rle.width * rle.height
}

/** Foreground pixel count: the COCO `area` of a mask. */
export function rleArea(rle: Rle): number {
  let area = 0
  for (let i = 1; i < rle.counts.length; i += 2) area += rle.counts[i]!
  return area
}

/**
 * Pixel extent of the foreground as `{x, y, w, h}` where a single pixel has size 1, which is what
 * pycocotools `toBbox` returns. An empty mask gives a zero box at 0,0.
 */
export function rleBbox(rle: Rle): { x: number; y: number; w: number; h: number } {
  const h = rle.height
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  let pos = 0
  rle.counts.forEach((count, i) => {
    if (i % 2 === 1 && count > 0) {
      const first = pos
      const last = pos + count - 1
      const x0 = Math.floor(first / h)
      const x1 = Math.floor(last / h)
      minX = Math.min(minX, x0)
      maxX = Math.max(maxX, x1)
      if (x0 !== x1) {
        // A run that wraps into the next column covers the column's bottom and top.
        minY = 0
        maxY = h - 1
      } else {
        minY = Math.min(minY, first % h)
        maxY = Math.max(maxY, last % h)
      }
    }
    pos += count
  })
  if (minX === Infinity) return { x: 0, y: 0, w: 0, h: 0 }
  return { x: minX, y: minY, w: maxX - minX + 1, h: maxY - minY + 1 }
}

/** Intersection over union of two masks of the same size; 0 when both are empty. */
export function rleIou(a: Rle, b: Rle): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error('masks differ in size')
  const bitsA = rleToBinary(a)
  const bitsB = rleToBinary(b)
  let inter = 0
  let union = 0
  for (let i = 0; i < bitsA.length; i++) {
    if (bitsA[i] && bitsB[i]) inter++
    if (bitsA[i] || bitsB[i]) union++
  }
  return union > 0 ? inter / union : 0
}

/** Code of the first printable character in COCO's compressed counts alphabet. */
const ALPHABET_START = 48

/**
 * Encodes counts as COCO's compressed string: each count after the second is stored as the
 * difference from the count two places before it, in 5-bit little-endian groups with a
 * continuation bit, offset into printable ASCII. Arithmetic, not bit shifts, so counts above
 * 2^31 (huge masks) do not wrap.
 */
export function encodeRleString(counts: readonly number[]): string {
  let out = ''
  counts.forEach((count, i) => {
    let x = i > 2 ? count - counts[i - 2]! : count
    let more = true
    while (more) {
      let c = ((x % 32) + 32) % 32
      x = Math.floor(x / 32)
      more = c & 0x10 ? x !== -1 : x !== 0
      if (more) c |= 0x20
      out += String.fromCharCode(c + ALPHABET_START)
    }
  })
  return out
}

/** Decodes COCO's compressed counts string; throws on a character outside the alphabet. */
export function decodeRleString(text: string): number[] {
  const counts: number[] = []
  let p = 0
  while (p < text.length) {
    let x = 0
    let scale = 1
    let more = true
    let c = 0
    while (more) {
      if (p >= text.length) throw new Error(`compressed counts end inside a number at ${p}`)
      c = text.charCodeAt(p) - ALPHABET_START
      if (c < 0 || c > 63) throw new Error(`invalid character in compressed counts at ${p}`)
      x += (c & 0x1f) * scale
      scale *= 32
      more = (c & 0x20) !== 0
      p++
    }
    if (c & 0x10) x -= scale
    const m = counts.length
    if (m > 2) x += counts[m - 2]!
    counts.push(x)
  }
  return counts
}
