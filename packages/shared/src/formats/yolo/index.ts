/**
 * YOLO in its Ultralytics and darknet layouts: detection boxes, segmentation polygons and
 * oriented boxes, normalised to the displayed image.
 */
export {
  importYolo,
  type YoloImportOptions,
  type YoloImportResult,
  type YoloTask,
} from './import.ts'
export { exportYolo, type YoloExportOptions, type YoloExportResult } from './export.ts'
