import { type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import { guidance } from '../../lib/guidance';
import { originPatternFor } from '../../lib/match-pattern';
import type { PolicyStatus, PopupApi, PopupTab } from './api';
import { formatDate } from './format';
import { GuidanceView } from './GuidanceView';
import { PageStatus, type PopupLoad } from './PageStatus';
import { pageKind } from './page-kind';

type TabId = 'page' | 'guidance';
const TABS: { id: TabId; label: string }[] = [
  { id: 'page', label: 'This page' },
  { id: 'guidance', label: 'Guidance' },
];

export interface PopupAppProps {
  api: PopupApi;
  /** The popup URL's hash, e.g. "#guidance-scriptswitch" (opens that guidance). */
  initialHash?: string;
}

/** A request to show one guidance section; `n` makes a repeat request for the same section a new one. */
interface GuidanceTarget {
  anchor: string;
  focus: boolean;
  n: number;
}

function anchorFromHash(hash: string | undefined): string | undefined {
  const anchor = hash?.replace(/^#/, '');
  return anchor && /^guidance(-[a-z0-9-]+)?$/.test(anchor) ? anchor : undefined;
}

export function PopupApp({ api, initialHash }: PopupAppProps) {
  const initialAnchor = anchorFromHash(initialHash);
  const [tab, setTab] = useState<TabId>(initialAnchor ? 'guidance' : 'page');
  const [target, setTarget] = useState<GuidanceTarget | undefined>(
    initialAnchor ? { anchor: initialAnchor, focus: false, n: 0 } : undefined,
  );
  const [load, setLoad] = useState<PopupLoad>({ status: 'loading' });
  const [notice, setNotice] = useState('');
  const [watching, setWatching] = useState(false);
  const [reshowing, setReshowing] = useState(false);
  const [policy, setPolicy] = useState<PolicyStatus>();
  useEffect(() => {
    void api.policyStatus?.().then(setPolicy, () => undefined);
  }, [api]);
  const tabRefs = useRef<Record<TabId, HTMLButtonElement | null>>({ page: null, guidance: null });

  const refresh = useCallback(
    async (known?: PopupTab) => {
      const current = known ?? (await api.currentTab().catch(() => undefined));
      if (!current) {
        setLoad({ status: 'no-tab' });
        return undefined;
      }
      try {
        const view = await api.getState(current.id);
        const next: PopupLoad = {
          status: 'ready',
          tab: current,
          kind: pageKind(current.url, api.extensionBaseUrl),
          view,
        };
        setLoad(next);
        return next;
      } catch {
        setLoad({ status: 'error', tab: current });
        return undefined;
      }
    },
    [api],
  );

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // The banner links to popup.html#guidance-<toolId>; follow later hash changes too.
  useEffect(() => {
    const onHashChange = () => {
      const anchor = anchorFromHash(window.location.hash);
      if (!anchor) return;
      setTab('guidance');
      setTarget((t) => ({ anchor, focus: false, n: (t?.n ?? 0) + 1 }));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  useEffect(() => {
    if (tab !== 'guidance' || !target) return;
    const element = document.getElementById(target.anchor);
    element?.scrollIntoView?.({ block: 'start' });
    // Focus follows only a link the user chose in the popup, never the initial load.
    if (target.focus) element?.focus();
  }, [tab, target]);

  const openGuidance = useCallback((anchor: string) => {
    setTab('guidance');
    setTarget((t) => ({ anchor, focus: true, n: (t?.n ?? 0) + 1 }));
  }, []);

  const onWatch = () => {
    if (load.status !== 'ready') return;
    const { tab: current } = load;
    const pattern = current.url ? originPatternFor(current.url) : undefined;
    if (!pattern) return;
    // The permission request comes first, while the click still counts as a user gesture.
    let request: Promise<boolean>;
    try {
      request = api.requestHostPermission(pattern);
    } catch (error) {
      request = Promise.reject(error);
    }
    setWatching(true);
    setNotice('');
    void (async () => {
      try {
        if (!(await request)) {
          setNotice('The browser did not allow it, so the extension is still not watching this site.');
          return;
        }
        await api.watchSite(current.id, pattern);
        const next = await refresh(current);
        setNotice(
          next?.status === 'ready' && next.view.watched
            ? 'The extension is now watching this site.'
            : 'Access was allowed, but the site is not on the watched list yet. Check Settings.',
        );
      } catch {
        setNotice('Something went wrong while adding this site. Try again, or add it in Settings.');
      } finally {
        setWatching(false);
      }
    })();
  };

  const onReshow = () => {
    if (load.status !== 'ready' && load.status !== 'error') return;
    const { tab: current } = load;
    setReshowing(true);
    void (async () => {
      try {
        await api.reshowBanner(current.id);
        await refresh(current);
        setNotice('The banner will show again.');
      } catch {
        setNotice('The banner could not be shown again. Close and reopen this window, then try again.');
      } finally {
        setReshowing(false);
      }
    })();
  };

  const onTabKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    const index = TABS.findIndex((t) => t.id === tab);
    let next: number | undefined;
    if (event.key === 'ArrowRight') next = (index + 1) % TABS.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + TABS.length) % TABS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = TABS.length - 1;
    if (next === undefined) return;
    event.preventDefault();
    const id = TABS[next]?.id ?? 'page';
    setTab(id);
    tabRefs.current[id]?.focus();
  };

  const lmcGuidanceUrl = load.status === 'ready' ? load.view.lmcGuidanceUrl : undefined;

  return (
    <div className="popup">
      <header className="popup-header">
        <h1>MO Prompt Advisor</h1>
        <p>Medicines optimisation prompts on this page, and what they mean</p>
      </header>
      <main>
        <div className="tabs" role="tablist" aria-label="Sections">
          {TABS.map((t) => (
            <button
              key={t.id}
              ref={(el) => {
                tabRefs.current[t.id] = el;
              }}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`panel-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              onClick={() => setTab(t.id)}
              onKeyDown={onTabKeyDown}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div role="status" className="notice" data-testid="popup-notice">
          {notice}
        </div>
        <section id="panel-page" role="tabpanel" aria-labelledby="tab-page" hidden={tab !== 'page'}>
          <PageStatus
            load={load}
            watching={watching}
            reshowing={reshowing}
            onWatch={onWatch}
            onReshow={onReshow}
            onOpenGuidance={openGuidance}
          />
        </section>
        <section
          id="panel-guidance"
          role="tabpanel"
          aria-labelledby="tab-guidance"
          hidden={tab !== 'guidance'}
        >
          <GuidanceView lmcGuidanceUrl={lmcGuidanceUrl} />
        </section>
      </main>
      <footer className="popup-footer">
        <button type="button" className="link-button" onClick={() => void api.openOptions()}>
          Settings
        </button>
        {load.status === 'ready' && load.kind === 'web' ? (
          <button
            type="button"
            className="link-button"
            data-testid="identify-prompt"
            onClick={() =>
              void api.identifyPrompt(load.tab.id).catch(() => {
                setNotice('The picker cannot run on this page.');
              })
            }
          >
            Identify a prompt on this page
          </button>
        ) : null}
        {policy && (policy.problems > 0 || policy.unconfirmed > 0) ? (
          <button
            type="button"
            className="link-button"
            data-testid="popup-policy-line"
            onClick={() => void api.openOptions()}
          >
            For IT leads: policy
            {policy.problems > 0
              ? ` has ${policy.problems} ${policy.problems === 1 ? 'value' : 'values'} refused or repaired`
              : ''}
            {policy.problems > 0 && policy.unconfirmed > 0 ? ';' : ''}
            {policy.unconfirmed > 0
              ? ` ${policy.unconfirmed} mandate${policy.unconfirmed === 1 ? '' : 's'} not confirmed`
              : ''}
            . See Settings › Policy.
          </button>
        ) : null}
        <span className="hint">Advisory only. Guidance reviewed {formatDate(guidance.lastReviewed)}.</span>
      </footer>
    </div>
  );
}
