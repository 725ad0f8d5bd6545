import type { CSSProperties, MouseEvent as ReactMouseEvent } from 'react';
import type { BannerForm } from '../lib/content/placement';
import { BANNER_BODY_ID, BANNER_TITLE_ID } from '../lib/dom-vocabulary';
import type { BannerView, ToolView } from '../lib/messages';
import { isSnoozedAt, visibleTools } from '../lib/views';
import { BANNER_SOURCE_LINE, guidanceUrlFor, safeExternalUrl } from './banner/guidance';

/**
 * The advisory banner: one per tab, listing every tool the background says is on the
 * page. Advisory wording only ("your practice may"); mandated (allow-listed) tools are
 * only ever shown as a quiet "keep using" note. It never moves focus: no focus(), no
 * autoFocus, no live-region announcements beyond the labelled region itself.
 */
export interface BannerProps {
  view: BannerView;
  /** Epoch ms, for the snooze check (the caller re-renders when a snooze ends). */
  now?: number;
  /** The compact form (heading, advisory sentence, actions) instead of the full banner. */
  collapsed?: boolean;
  /** Which form to draw; overrides `collapsed` (the tab is for screens with no free corner). */
  form?: BannerForm;
  /** The page shows a modal dialog: our controls may be inert until it closes. */
  blocked?: boolean;
  /** The clinician asked for the full banner but no free place fits it on this screen. */
  roomless?: boolean;
  onToggle?(): void;
  onDismiss(toolId: string): void;
  onSnooze(): void;
  /**
   * Whether an event came from the user. Default: `event.isTrusted`, so a page script's
   * `.click()` or dispatched event does nothing (unit tests, which can only dispatch, pass their own).
   */
  trusted?(event: Event): boolean;
  /** Snooze length, for the button's text; read from the view when it carries one. */
  snoozeMinutes?: number;
  /** Position and size from the placement logic; the stylesheet's bottom-right otherwise. */
  style?: CSSProperties;
}

/** Whether the banner has anything to show at `now` (visible tools, not snoozed). */
export function bannerHasContent(view: BannerView, now: number = Date.now()): boolean {
  if (isSnoozed(view, now)) return false;
  return visibleTools(view).length > 0;
}

export function isSnoozed(view: BannerView, now: number = Date.now()): boolean {
  return isSnoozedAt(view.snoozedUntil, now);
}

/** "30 minutes", "1 hour", "90 minutes", "2 hours". */
export function formatDuration(minutes: number): string {
  if (minutes >= 60 && minutes % 60 === 0) {
    const hours = minutes / 60;
    return hours === 1 ? '1 hour' : `${hours} hours`;
  }
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

function names(tools: readonly ToolView[]): string {
  return tools.map((t) => t.name).join(', ');
}

function mandateDetails(tool: ToolView): string | undefined {
  const parts = [tool.mandate?.reason, tool.mandate?.reference].filter(
    (p): p is string => typeof p === 'string' && p.trim().length > 0,
  );
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** Runs `action` for a click the user made; ignores one a page script made. */
type Guard = (event: ReactMouseEvent, action: () => void) => void;

function FlaggedTool({
  tool,
  onDismiss,
  guard,
}: {
  tool: ToolView;
  onDismiss(toolId: string): void;
  guard: Guard;
}) {
  return (
    <li className="tool" data-tool-id={tool.toolId} data-verdict="flagged">
      <div className="tool-head">
        <h3 className="tool-name">
          {tool.name}
          {tool.vendor ? <span className="vendor">{tool.vendor}</span> : null}
        </h3>
        <button type="button" className="dismiss" onClick={(e) => guard(e, () => onDismiss(tool.toolId))}>
          Dismiss<span className="vh"> the note about {tool.name}</span>
        </button>
      </div>
      <p className="small guidance">
        {/* The vendor's own description is in the popup: the banner stays short enough to fit. */}
        <a href={guidanceUrlFor(tool.toolId)} target="_blank" rel="noopener noreferrer">
          Guidance on {tool.name}
          <span className="vh"> (opens in a new tab)</span>
        </a>
      </p>
    </li>
  );
}

function MandatedNote({ tool }: { tool: ToolView }) {
  const details = mandateDetails(tool);
  return (
    <li className="mandated-note" data-tool-id={tool.toolId} data-verdict="mandated">
      <strong>{tool.name}</strong>: mandated by your local service{details ? ` (${details})` : ''}: keep
      using.
    </li>
  );
}

/**
 * Tool names for the heading. Every form marks each tool once with its id and verdict
 * (what tests and the popup's checks read): the expanded form on its entries, the
 * compact panel and the tab here.
 */
function NamedTools({ tools, mark }: { tools: readonly ToolView[]; mark: boolean }) {
  if (!mark) return names(tools);
  return tools.map((t, i) => (
    <span key={t.toolId}>
      {i > 0 ? ', ' : ''}
      <span data-tool-id={t.toolId} data-verdict={t.verdict}>
        {t.name}
      </span>
    </span>
  ));
}

const isTrustedEvent = (event: Event): boolean => event.isTrusted;

export function Banner({
  view,
  now = Date.now(),
  collapsed = false,
  form = collapsed ? 'compact' : 'expanded',
  blocked = false,
  roomless = false,
  onToggle,
  onDismiss,
  onSnooze,
  trusted = isTrustedEvent,
  snoozeMinutes,
  style,
}: BannerProps) {
  if (!bannerHasContent(view, now)) return null;
  const tools = visibleTools(view);
  // The verdict comes only from the background's allow-list check; a mandated tool
  // is never rendered by the flagged branch.
  const flagged = tools.filter((t) => t.verdict === 'flagged');
  const mandated = view.showMandatedNote ? tools.filter((t) => t.verdict === 'mandated') : [];
  if (flagged.length === 0 && mandated.length === 0) return null;

  const guard: Guard = (event, action) => {
    if (trusted(event.nativeEvent)) action();
  };
  const quiet = flagged.length === 0;
  const minutes = snoozeMinutes ?? view.snoozeMinutes;
  const lmcUrl = safeExternalUrl(view.lmcGuidanceUrl);
  const one = flagged.length === 1;
  const expanded = form === 'expanded';
  // The compact panel for one flagged tool offers its Dismiss beside Snooze (and marks the tool there).
  const single = flagged.length === 1 && mandated.length === 0 ? flagged[0] : undefined;
  const compactSingle = form === 'compact' && single !== undefined;
  // The heading names the tools, so every form still says what is on the page.
  const title = quiet ? (
    <>
      Required by your local service: <NamedTools tools={mandated} mark={!expanded} />
    </>
  ) : (
    <>
      Medicines optimisation {one ? 'prompt' : 'prompts'}:{' '}
      <NamedTools tools={flagged} mark={!expanded && !compactSingle} />
    </>
  );
  const lead = quiet
    ? 'Mandated by a locally commissioned service: keep using it.'
    : `${one ? 'This is' : 'These are'} non-contractual medicines optimisation software: your practice may switch ${one ? 'it' : 'them'} off or ignore ${one ? 'it' : 'them'} for new prescriptions.`;
  const className = ['banner', `banner--${form}`, quiet ? 'banner--quiet' : ''].filter(Boolean).join(' ');

  if (form === 'tab') {
    return (
      <section
        className={className}
        data-testid="mo-banner"
        data-form="tab"
        data-collapsed="true"
        // biome-ignore lint/a11y/noRedundantRoles: GOV.UK notification-banner pattern: the region role is stated, not inferred.
        role="region"
        aria-labelledby={BANNER_TITLE_ID}
        style={style}
      >
        <h2 className="title" id={BANNER_TITLE_ID}>
          {title}
        </h2>
        <p className="tab-note">Details: the extension's toolbar button</p>
      </section>
    );
  }

  return (
    <section
      className={className}
      data-testid="mo-banner"
      data-form={form}
      data-collapsed={expanded ? 'false' : 'true'}
      // biome-ignore lint/a11y/noRedundantRoles: GOV.UK notification-banner pattern: the region role is stated, not inferred.
      role="region"
      aria-labelledby={BANNER_TITLE_ID}
      style={style}
    >
      <h2 className="title" id={BANNER_TITLE_ID}>
        {title}
      </h2>
      <p className="lead">{lead}</p>
      {blocked ? (
        <p className="small notice" data-testid="mo-banner-blocked">
          The page's dialog is open: these buttons work once it is closed (or use the extension's toolbar
          button).
        </p>
      ) : null}
      {roomless ? (
        <p className="small notice">
          No free space for the full note on this screen: it is in the extension's toolbar button.
        </p>
      ) : null}
      {expanded ? (
        <div className="body" id={BANNER_BODY_ID}>
          {flagged.length > 0 ? (
            <>
              <ul className="tools">
                {flagged.map((tool) => (
                  <FlaggedTool key={tool.toolId} tool={tool} onDismiss={onDismiss} guard={guard} />
                ))}
              </ul>
              <p className="small">
                The BMA's GP collective action (June 2026 step) asks practices to switch off or ignore{' '}
                {one ? 'it' : 'them'} for new prescriptions. The exception: a tool a locally commissioned
                service requires (such as Birmingham and Solihull's Enhanced Service Offer) may need to stay
                on; your practice can mark it as mandated in this extension's settings.
              </p>
            </>
          ) : null}
          {mandated.length > 0 ? (
            <ul className="mandated" aria-label="Tools mandated by your local service">
              {mandated.map((tool) => (
                <MandatedNote key={tool.toolId} tool={tool} />
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <div
        className="actions"
        data-tool-id={compactSingle ? single?.toolId : undefined}
        data-verdict={compactSingle ? 'flagged' : undefined}
      >
        {onToggle ? (
          <button
            type="button"
            className="toggle"
            aria-expanded={expanded}
            aria-controls={expanded ? BANNER_BODY_ID : undefined}
            onClick={(e) => guard(e, onToggle)}
          >
            {expanded ? 'Minimise' : 'Show more'}
            <span className="vh">{expanded ? ' the' : ' of the'} medicines optimisation note</span>
          </button>
        ) : null}
        <button type="button" className="snooze" onClick={(e) => guard(e, onSnooze)}>
          {minutes ? `Snooze for ${formatDuration(minutes)}` : 'Snooze'}
          <span className="vh"> on every tab</span>
        </button>
        {compactSingle && single ? (
          <button type="button" className="dismiss" onClick={(e) => guard(e, () => onDismiss(single.toolId))}>
            Dismiss<span className="vh"> the note about {single.name}</span>
          </button>
        ) : null}
        {expanded && lmcUrl ? (
          <a className="small" href={lmcUrl} target="_blank" rel="noopener noreferrer">
            Your LMC's guidance<span className="vh"> (opens in a new tab)</span>
          </a>
        ) : null}
      </div>
      {expanded ? <p className="small muted source">{BANNER_SOURCE_LINE}</p> : null}
    </section>
  );
}
