import { useEffect, useMemo, useState } from 'react';
import { builtInTools } from '../../lib/catalogue';
import {
  type EvidenceOption,
  liveMatchCount,
  type Proposal,
  proposeSignature,
  reviewProposal,
} from '../../lib/content/propose-signature';
import type { PracticeSignatures } from '../../lib/messages';
import type { FieldProblem } from '../../lib/settings/validate';
import { exportSignatureSet, signatureSetFileName, signatureSetJson } from '../../lib/signature-set';
import type { PickerStore } from './store';

export interface ReviewProps {
  /** The element the user chose; its container is proposed. */
  element: Element;
  store: PickerStore;
  onBack(): void;
  onClose(): void;
  /** Starts a file download; injectable for tests. */
  download?: (fileName: string, json: string) => void;
}

const NEW_TOOL = '__new__';

/** Lower-case hyphenated id from a tool's name: "Formulary Nudge" → "formulary-nudge". */
export function toolIdFromName(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

function defaultDownload(fileName: string, json: string): void {
  const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  // Appended to the overlay's own tree would not download in every browser; body is fine.
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The review step: tool, cues to keep, live count, warnings, Save, Export. */
export function Review({ element, store, onBack, onClose, download = defaultDownload }: ReviewProps) {
  const [settings, setSettings] = useState<PracticeSignatures | undefined>();
  const [toolChoice, setToolChoice] = useState<string>(NEW_TOOL);
  const [newToolName, setNewToolName] = useState('');
  const [options, setOptions] = useState<EvidenceOption[]>(
    () => proposeSignature(element, { toolId: 'new-tool' }).evidenceOptions,
  );
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [saved, setSaved] = useState<PracticeSignatures | undefined>();

  useEffect(() => {
    let live = true;
    store
      .read()
      .then((s) => live && setSettings(s))
      .catch((error: Error) => live && setProblems([{ field: 'settings', reason: error.message }]));
    return () => {
      live = false;
    };
  }, [store]);

  const customTools = settings?.customTools ?? [];
  const newToolId = toolIdFromName(newToolName);
  const toolId = toolChoice === NEW_TOOL ? newToolId : toolChoice;
  const toolProblem =
    toolChoice !== NEW_TOOL
      ? undefined
      : newToolName.trim().length < 2
        ? 'Name the tool (at least two characters).'
        : newToolId.length < 2
          ? 'Use letters or digits in the name.'
          : builtInTools.some((t) => t.id === newToolId)
            ? 'A built-in tool has this name: choose it from the list instead.'
            : undefined;

  const proposal: Proposal = useMemo(() => {
    const base = proposeSignature(element, { toolId: 'new-tool' });
    return reviewProposal(base.container, base.isPrompt, options, {
      toolId: toolId.length >= 2 ? toolId : 'new-tool',
      existingIds: settings?.customSignatures.map((s) => s.id) ?? [],
    });
  }, [element, options, toolId, settings]);

  const count = proposal.signature ? liveMatchCount(proposal.signature, element.ownerDocument) : 0;
  const canSave = proposal.canSave && !toolProblem && !!settings && !saved;

  async function save() {
    if (!proposal.signature || !settings) return;
    const newTool = toolChoice === NEW_TOOL ? { id: newToolId, name: newToolName.trim() } : undefined;
    const result = await store.addSignature(proposal.signature, newTool);
    if (result.ok) {
      setProblems([]);
      setSaved(result.saved);
    } else {
      setProblems(result.problems);
    }
  }

  function exportSet() {
    const source = saved ?? settings;
    if (!source) return;
    const signatures = saved
      ? source.customSignatures
      : [...source.customSignatures, ...(proposal.signature ? [proposal.signature] : [])];
    download(signatureSetFileName(), signatureSetJson(exportSignatureSet(signatures, source.customTools)));
  }

  return (
    <div className="review" role="dialog" aria-modal="true" aria-labelledby="mo-review-title">
      <h2 id="mo-review-title">Teach this prompt</h2>
      {saved ? (
        <p className="done" role="status">
          Saved. The extension now recognises this prompt on every page it watches; reload the page to see the
          banner.
        </p>
      ) : null}
      <fieldset>
        <legend>Which tool shows it?</legend>
        <label>
          Tool{' '}
          <select
            value={toolChoice}
            onChange={(e) => setToolChoice(e.currentTarget.value)}
            disabled={!!saved}
          >
            <option value={NEW_TOOL}>A tool not listed (name it)</option>
            {builtInTools.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} (built in)
              </option>
            ))}
            {customTools.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} (added by your practice)
              </option>
            ))}
          </select>
        </label>
        {toolChoice === NEW_TOOL ? (
          <label>
            Tool name{' '}
            <input
              value={newToolName}
              onChange={(e) => setNewToolName(e.currentTarget.value)}
              maxLength={80}
              disabled={!!saved}
              aria-describedby="mo-tool-hint"
            />
            <span id="mo-tool-hint" className="hint">
              {toolProblem ?? `Saved as tool id “${newToolId}”.`}
            </span>
          </label>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>Cues to keep</legend>
        {options.length === 0 ? <p>No stable cues found here: pick the prompt's outer box instead.</p> : null}
        {options.map((option) => (
          <label key={option.key} className="cue">
            <input
              type="checkbox"
              checked={option.checked}
              disabled={!!saved}
              onChange={(e) => {
                const checked = e.currentTarget.checked;
                setOptions((all) => all.map((o) => (o.key === option.key ? { ...o, checked } : o)));
              }}
            />{' '}
            <span>{option.description}</span>
          </label>
        ))}
      </fieldset>
      <p className="count" data-testid="live-count" aria-live="polite">
        {count === 1 ? 'Matches 1 place on this page.' : `Matches ${count} places on this page.`}
      </p>
      {proposal.warnings.length > 0 ? (
        <ul className="warnings" aria-label="Warnings">
          {proposal.warnings.map((w) => (
            <li key={w.kind} data-kind={w.kind} className={w.blocksSave ? 'blocking' : ''}>
              {w.message}
            </li>
          ))}
        </ul>
      ) : null}
      {problems.length > 0 ? (
        <ul className="problems" role="alert">
          {problems.map((p) => (
            <li key={`${p.field}:${p.reason}`}>
              <code>{p.field}</code>: {p.reason}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="actions">
        {saved ? null : (
          <button type="button" onClick={onBack}>
            Pick again
          </button>
        )}
        <button type="button" onClick={exportSet} disabled={!settings || (!saved && !proposal.signature)}>
          Export signature set
        </button>
        {saved ? null : (
          <button type="button" className="primary" onClick={() => void save()} disabled={!canSave}>
            Save
          </button>
        )}
        <button type="button" onClick={onClose}>
          {saved ? 'Close' : 'Cancel'}
        </button>
      </div>
    </div>
  );
}
