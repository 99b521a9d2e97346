import { Link } from 'wouter'
import { errorText } from '../../app/api.ts'
import { useAssets } from './queries.ts'

/** Thumbnails of a project's assets with their region counts; a click opens the canvas. */
export function AssetGrid({ projectId }: { projectId: string }) {
  const assets = useAssets(projectId)
  if (assets.isPending) return <p className="muted">Loading assets…</p>
  if (assets.error) return <p className="error">{errorText(assets.error)}</p>
  if (assets.data.length === 0) return <p className="muted">No assets yet: upload images above.</p>
  return (
    <section>
      <h2>Assets ({assets.data.length})</h2>
      <ul className="asset-grid" data-testid="asset-grid">
        {assets.data.map((a) => (
          <li key={a.id} data-testid="asset-tile">
            <Link href={`/assets/${a.id}`} title={a.fileName}>
              <img src={a.thumbnailUrl} alt={a.fileName} loading="lazy" />
              <span className="asset-name">{a.fileName}</span>
              <span className="badge" data-testid="asset-region-count">
                {a.regionCount} {a.regionCount === 1 ? 'region' : 'regions'}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  )
}
