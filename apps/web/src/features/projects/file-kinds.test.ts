import { describe, expect, it } from 'vitest'
import { isAnnotationFile, NOT_FOR_UPLOAD, pickImportDrop, sortUploadItems } from './file-kinds.ts'

function item(path: string, type = '') {
  return { file: { name: path.split('/').pop() ?? path, type }, path }
}

describe('files given to the upload card', () => {
  it('sends images and refuses annotation files and zips, saying where they go', () => {
    const given = [
      item('a.jpg', 'image/jpeg'),
      item('dataset.zip', 'application/zip'),
      item('labels/instances_val.json'),
      item('VOC/Annotations/0001.XML'),
      item('predictions.jsonl'),
      item('b.png', 'image/png'),
    ]
    const { send, refused } = sortUploadItems(given)
    expect(send.map((i) => i.path)).toEqual(['a.jpg', 'b.png'])
    expect(refused.map((r) => r.fileName)).toEqual([
      'dataset.zip',
      'labels/instances_val.json',
      'VOC/Annotations/0001.XML',
      'predictions.jsonl',
    ])
    expect(refused.every((r) => r.message === NOT_FOR_UPLOAD)).toBe(true)
    expect(NOT_FOR_UPLOAD).toContain('“Import and export”')
  })

  it('knows a zip by its media type when its name has no extension', () => {
    expect(isAnnotationFile({ name: 'download', type: 'application/x-zip-compressed' })).toBe(true)
    expect(isAnnotationFile({ name: 'photo.jpeg', type: 'image/jpeg' })).toBe(false)
  })

  it('leaves other files to the server, which says why it refuses them', () => {
    expect(sortUploadItems([item('notes.txt', 'text/plain')]).send).toHaveLength(1)
  })
})

describe('a drop on the import section', () => {
  it('picks the one annotation file, zip or YOLO text file dropped', () => {
    for (const name of ['coco.json', 'set.zip', 'cvat.xml', 'classes.txt', 'run.ndjson']) {
      expect(pickImportDrop([{ name }])).toEqual({ pick: { name } })
    }
  })

  it('refuses several files, a folder and an image, each with the reason', () => {
    expect(pickImportDrop([{ name: 'a.json' }, { name: 'b.json' }])).toEqual({
      refusal: 'Drop one file or zip at a time.',
    })
    expect(pickImportDrop([{ name: 'dataset', isDirectory: true }])).toEqual({
      refusal: 'dataset is a folder: zip it, then drop the zip.',
    })
    expect(pickImportDrop([{ name: 'a.jpg', type: 'image/jpeg' }])).toEqual({
      refusal: 'a.jpg is not an annotation file or zip; images are added in “Upload” above.',
    })
    expect(pickImportDrop([])).toEqual({ refusal: 'Nothing to import in that drop.' })
  })
})
