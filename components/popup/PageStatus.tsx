import { hostOf } from '../../lib/match-pattern';
import type { PopupView } from '../../lib/messages';
import type { PopupTab } from './api';
import { formatTime } from './format';
import type { PageKind } from './page-kind';
import { ToolCard } from './ToolCard';

export type PopupLoad =
  | { status: 'loading' }
  | { status: 'no-tab' }
  | { status: 'error'; tab: PopupTab }
  | { status: 'ready'; tab: PopupTab; kind: PageKind; view: PopupView };

/** A machine-readable name for what the popup shows (data-page-state), for tests and support. */
export type PageState =
  | 'loading'
  | 'no-tab'
  | 'error'
  | 'extension-page'
  | 'cannot-run'
  | 'not-watched'
  | 'watched-nothing-found'
  | 'watched-found';

export function pageState(load: PopupLoad): PageState {
  if (load.status !== 'ready') return load.status;
  if (load.kind === 'extension') return 'extension-page';
  if (load.kind === 'unsupported') return 'cannot-run';
  if (!load.view.watched) return 'not-watched';
  return load.view.tools.length > 0 ? 'watched-found' : 'watched-nothing-found';
}

export interface PageStatusProps {
  load: PopupLoad;
  /** A watch request is in progress (the browser may be asking the user). */
  watching: boolean;
  reshowing: boolean;
  onWatch(): void;
  onReshow(): void;
  onOpenGuidance(anchor: string): void;
}

export function PageStatus(props: PageStatusProps) {
  const { load } = props;
  const state = pageState(load);
  return (
    <div className="page-status" data-page-state={state}>
      <StatusBody {...props} state={state} />
      {load.status === 'ready' && load.view.tools.length > 0 && <FoundTools {...props} view={load.view} />}
    </div>
  );
}

function StatusBody({ load, state, watching, onWatch }: PageStatusProps & { state: PageState }) {
  const host = load.status === 'ready' ? (load.view.host ?? hostOf(load.tab.url)) : undefined;
  switch (state) {
    case 'loading':
      return <p className="hint">Checking this page…</p>;
    case 'no-tab':
      return (
        <div className="status-card status-card--neutral">
          <h2>No page to check</h2>
          <p>Open this from the MO Prompt Advisor button while a page of your clinical system is showing.</p>
        </div>
      );
    case 'error':
      return (
        <div className="status-card status-card--error">
          <h2>The extension is not responding</h2>
          <p>
            It could not get this page’s status from its background service, so it may not be noticing
            prompts. Close and reopen this window; if it keeps happening, reload the extension or tell your IT
            lead.
          </p>
        </div>
      );
    case 'extension-page':
      return (
        <div className="status-card status-card--neutral">
          <h2>This is the extension’s own page</h2>
          <p>
            To see what was found on a page, select the MO Prompt Advisor button in the toolbar while that
            page is open.
          </p>
        </div>
      );
    case 'cannot-run':
      return (
        <div className="status-card status-card--neutral">
          <h2>The extension cannot run on this page</h2>
          <p>
            Browsers do not let extensions read their own pages (such as settings or a new tab), extension
            stores or local files. This says nothing about your clinical system: open it and check again.
          </p>
        </div>
      );
    case 'not-watched': {
      const locked = load.status === 'ready' && load.view.lockedFields.includes('clinicalHosts');
      // Listed by policy but not yet allowed: only the user can grant a site, once.
      const listedNotGranted = load.status === 'ready' && load.view.listed && !load.view.hasPermission;
      return (
        <div className="status-card status-card--neutral">
          <h2>Not watching this site</h2>
          <p>
            {host ? <strong>{host}</strong> : 'This site'} is not on the extension’s list of clinical-system
            sites, so it has not checked this page for medicines optimisation prompts.
          </p>
          {locked && !listedNotGranted ? (
            <p>
              Your organisation manages the list of watched sites. If this is a clinical system that shows
              prompts, ask your IT lead to add it.
            </p>
          ) : (
            <>
              <button
                type="button"
                className="button"
                onClick={onWatch}
                disabled={watching}
                aria-describedby="watch-explainer"
              >
                {watching
                  ? 'Waiting for your browser…'
                  : listedNotGranted
                    ? 'Allow on this site'
                    : 'Watch this site'}
              </button>
              {listedNotGranted ? (
                <p className="hint">
                  Your organisation lists this site; your browser needs your permission once.
                </p>
              ) : null}
              <p id="watch-explainer" className="hint">
                Your browser will ask to let the extension read pages on {host ?? 'this site'}. It looks only
                for medicines optimisation prompts, stores no page text and sends nothing anywhere. You can
                remove the site in Settings.
              </p>
            </>
          )}
        </div>
      );
    }
    case 'watched-nothing-found':
      return (
        <div className="status-card status-card--ok">
          <h2>Watching this site</h2>
          {host && <p className="hint">{host}</p>}
          <p>
            <strong>No medicines optimisation prompts found on this page.</strong>
          </p>
          <p className="hint">
            The extension keeps checking as the page changes. If a prompt appears, it is listed here and a
            banner shows on the page.
          </p>
        </div>
      );
    case 'watched-found':
      return (
        <div className="status-card status-card--ok">
          <h2>Watching this site</h2>
          {host && <p className="hint">{host}</p>}
        </div>
      );
  }
}

function FoundTools({ view, reshowing, onReshow, onOpenGuidance }: PageStatusProps & { view: PopupView }) {
  const anyDismissed = view.tools.some((t) => t.dismissed);
  const snoozed = view.snoozedUntil !== undefined;
  const count = view.tools.length;
  return (
    <section aria-labelledby="found-heading">
      <h2 id="found-heading">
        Found on this page: {count} {count === 1 ? 'tool' : 'tools'}
      </h2>
      <ul className="tool-list">
        {view.tools.map((tool) => (
          <ToolCard key={tool.toolId} tool={tool} onOpenGuidance={onOpenGuidance} />
        ))}
      </ul>
      {snoozed && view.snoozedUntil && (
        <p data-fact="snoozed">The banner is snoozed on all tabs until {formatTime(view.snoozedUntil)}.</p>
      )}
      {(anyDismissed || snoozed) && (
        <button type="button" className="button button--secondary" onClick={onReshow} disabled={reshowing}>
          Show the banner again
        </button>
      )}
    </section>
  );
}
