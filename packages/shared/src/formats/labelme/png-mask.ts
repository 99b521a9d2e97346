import { decode, encode } from 'fast-png'

/** A row-major binary mask of `width * height` bytes, 1 for foreground. */
export type BinaryImage = { width: number; height: number; bits: Uint8Array }

/**
 * Decodes a PNG into a binary mask: a pixel is foreground when any colour channel is non-zero
 * (and, with an alpha channel, it is not transparent). labelme writes masks as 8-bit or 1-bit
 * greyscale; palette and RGB(A) files from other tools read the same way.
 */
export function decodePngMask(bytes: Uint8Array): BinaryImage {
  const png = decode(bytes)
  const { width, height, channels } = png
  const depth = png.depth
  const hasAlpha = channels === 2 || channels === 4
  const colour = hasAlpha ? channels - 1 : channels
  const bits = new Uint8Array(width * height)
  const rowSamples = width * channels
  const sample = sampleReader(png.data, depth, rowSamples)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const base = x * channels
      let on = false
      for (let c = 0; c < colour; c++) if (sample(y, base + c) > 0) on = true
      if (hasAlpha && sample(y, base + channels - 1) === 0) on = false
      bits[y * width + x] = on ? 1 : 0
    }
  }
  return { width, height, bits }
}

/** Reads sample `i` of row `y`, unpacking sub-byte depths, which fast-png leaves packed. */
function sampleReader(data: ArrayLike<number>, depth: number, rowSamples: number) {
  if (depth >= 8) return (y: number, i: number) => data[y * rowSamples + i] ?? 0
  const rowBytes = Math.ceil((rowSamples * depth) / 8)
  const perByte = 8 / depth
  const maskBits = (1 << depth) - 1
  return (y: number, i: number) => {
    const byte = data[y * rowBytes + Math.floor(i / perByte)] ?? 0
    const shift = 8 - depth * ((i % perByte) + 1)
    return (byte >> shift) & maskBits
  }
}

/** Encodes a binary mask as an 8-bit greyscale PNG with 0 and 255, as labelme reads it. */
export function encodePngMask(image: BinaryImage): Uint8Array {
  const data = new Uint8Array(image.bits.length)
  for (let i = 0; i < data.length; i++) data[i] = image.bits[i] ? 255 : 0
  return encode({ width: image.width, height: image.height, data, channels: 1, depth: 8 })
}

/** Standard base64 of bytes, in chunks so large images do not overflow the call stack. */
export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary)
}

/** Decodes standard base64 (whitespace allowed); throws on anything else. */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text.replace(/\s+/g, ''))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
