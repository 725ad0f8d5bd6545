import { useId, useState } from 'react';
import { builtInSignatures, globalExclusions } from '../../lib/catalogue';
import type { Signature } from '../../lib/catalogue/schema';
import { compileCatalogue } from '../../lib/content/detect/compile';
import { scan } from '../../lib/content/detect/scan';

export interface PreviewMatch {
  toolId: string;
  signatureIds: string[];
  confidence: 'high' | 'moderate';
  /** How many distinct prompts matched. */
  count: number;
}

export interface PreviewResult {
  matches: PreviewMatch[];
  /** Signatures the engine could not compile here (e.g. a selector this browser rejects). */
  rejected: { signatureId: string; reason: string }[];
}

/**
 * Runs the real detection engine on pasted HTML: parsed into an inert document
 * (DOMParser runs no scripts and loads nothing), scanned with the built-in and the
 * given custom signatures. Nothing is stored or sent.
 */
export function previewMatches(html: string, custom: readonly Signature[], pageUrl = ''): PreviewResult {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const catalogue = compileCatalogue([...builtInSignatures, ...custom], globalExclusions, doc);
  const findings = scan(catalogue, doc, { pageUrl, documentTitle: doc.title ?? '' });
  const byTool = new Map<string, PreviewMatch>();
  for (const f of findings) {
    const m = byTool.get(f.toolId) ?? {
      toolId: f.toolId,
      signatureIds: [],
      confidence: 'moderate',
      count: 0,
    };
    if (!m.signatureIds.includes(f.signatureId)) m.signatureIds.push(f.signatureId);
    if (f.confidence === 'high') m.confidence = 'high';
    m.count += 1;
    byTool.set(f.toolId, m);
  }
  return { matches: [...byTool.values()], rejected: catalogue.rejected };
}

interface Props {
  custom: readonly Signature[];
  toolName(toolId: string): string;
}

export function SignaturePreview({ custom, toolName }: Props) {
  const id = useId();
  const [html, setHtml] = useState('');
  const [pageUrl, setPageUrl] = useState('');
  const [result, setResult] = useState<PreviewResult | undefined>();
  const customIds = new Set(custom.map((s) => s.id));

  return (
    <div className="mo-preview" data-testid="signature-preview">
      <h3 className="mo-subheading">Preview: what would be recognised?</h3>
      <p className="mo-hint">
        Paste the HTML of a page or prompt (for example from the browser's developer tools). It is checked
        here, in this page only: nothing is stored or sent. Remove any patient details first.
      </p>
      <div className="mo-form-group">
        <label className="mo-label" htmlFor={`${id}-html`}>
          Sample HTML
        </label>
        <textarea
          id={`${id}-html`}
          className="mo-textarea mo-textarea--code"
          rows={6}
          spellCheck={false}
          value={html}
          onChange={(e) => setHtml(e.target.value)}
        />
      </div>
      <div className="mo-form-group">
        <label className="mo-label" htmlFor={`${id}-url`}>
          Page address of the sample (optional)
        </label>
        <div className="mo-hint" id={`${id}-url-hint`}>
          Only needed for signatures that look at the page address
        </div>
        <input
          id={`${id}-url`}
          className="mo-input"
          aria-describedby={`${id}-url-hint`}
          value={pageUrl}
          onChange={(e) => setPageUrl(e.target.value)}
        />
      </div>
      <button
        type="button"
        className="mo-button mo-button--secondary"
        onClick={() => setResult(previewMatches(html, custom, pageUrl.trim()))}
      >
        Preview matches
      </button>
      <div role="status" className="mo-preview__result" data-testid="preview-result">
        {result === undefined ? null : result.matches.length === 0 ? (
          <p>No tool would be recognised in this sample.</p>
        ) : (
          <ul className="mo-list">
            {result.matches.map((m) => (
              <li key={m.toolId} data-preview-tool={m.toolId}>
                <strong>{toolName(m.toolId)}</strong> ({m.confidence} confidence, {m.count}{' '}
                {m.count === 1 ? 'prompt' : 'prompts'}) by{' '}
                {m.signatureIds.map((sid, i) => (
                  <span key={sid}>
                    {i > 0 ? ', ' : ''}
                    <code>{sid}</code>
                    {customIds.has(sid) ? ' (custom)' : ' (built-in)'}
                  </span>
                ))}
              </li>
            ))}
          </ul>
        )}
        {result?.rejected.length ? (
          <ul className="mo-error-message">
            {result.rejected.map((r) => (
              <li key={r.signatureId}>
                <code>{r.signatureId}</code> was not used: {r.reason}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
