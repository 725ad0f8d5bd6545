import type { GuidanceSource } from '../../lib/guidance';
import { ExternalLink } from './ExternalLink';
import { formatDate } from './format';

/** The sources of one guidance item and when it was last reviewed against them. */
export function Sources({
  sources,
  lastReviewed,
}: {
  sources: readonly GuidanceSource[];
  lastReviewed: string;
}) {
  return (
    <div className="sources">
      <details>
        <summary>Sources ({sources.length})</summary>
        <ul>
          {sources.map((s) => (
            <li key={s.url}>
              <ExternalLink href={s.url}>{s.title}</ExternalLink> ({s.publisher}, read{' '}
              {formatDate(s.accessed)})
            </li>
          ))}
        </ul>
      </details>
      <p className="reviewed">Last reviewed {formatDate(lastReviewed)}</p>
    </div>
  );
}
