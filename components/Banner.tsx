import type { BannerView } from '../lib/messages';
import { visibleTools } from '../lib/tab-state';

export interface BannerProps {
  view: BannerView;
  onDismiss(toolId: string): void;
  onSnooze(): void;
}

export function Banner({ view, onDismiss, onSnooze }: BannerProps) {
  const tools = visibleTools(view);
  if (tools.length === 0 || view.snoozedUntil) return null;
  return (
    <section data-testid="mo-banner" role="region" aria-labelledby="mo-banner-title">
      <h2 id="mo-banner-title">Medicines optimisation prompt on this page</h2>
      <ul>
        {tools.map((t) => (
          <li key={t.toolId} data-tool-id={t.toolId} data-verdict={t.verdict}>
            {t.name}
            <button type="button" onClick={() => onDismiss(t.toolId)}>
              Dismiss
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={onSnooze}>
        Snooze
      </button>
    </section>
  );
}
