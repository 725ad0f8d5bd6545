import { useId, useState } from 'react';
import type { Signature } from '../../lib/catalogue/schema';
import { type CustomTool, customToolSchema } from '../../lib/settings/schema';
import { describeIssues, type FieldProblem, parseSignatureText } from '../../lib/settings/validate';
import type { PausedSignature } from '../../platform/paused-signatures';
import { SignaturePreview } from './SignaturePreview';
import { FieldErrors, LockedNote, Section } from './ui';

/** A starting point for a new signature: valid, and obviously a placeholder. */
export const SIGNATURE_TEMPLATE = `${JSON.stringify(
  {
    id: 'practice-prompt',
    toolId: 'practice-tool',
    description: 'Describe the prompt this recognises',
    threshold: 0.8,
    evidence: [
      {
        kind: 'brand',
        text: { match: 'word', value: 'Product name' },
        positions: ['heading', 'label'],
        weight: 0.5,
        basis: 'inferred',
      },
      { kind: 'controls', labels: ['Accept', 'Reject'], weight: 0.4, basis: 'inferred' },
    ],
  },
  null,
  2,
)}`;

interface Props {
  texts: string[];
  onTextsChange(next: string[]): void;
  signaturesLocked: boolean;
  tools: CustomTool[];
  onToolsChange(next: CustomTool[]): void;
  toolsLocked: boolean;
  problems: FieldProblem[];
  knownToolIds: ReadonlySet<string>;
  toolName(toolId: string): string;
  /** Signatures a page paused for overrunning their time budget. */
  paused?: readonly PausedSignature[];
}

/** "evidence.0.weight" of signature 2 → "customSignatures.2.evidence.0.weight"; "(JSON)" → "customSignatures.2". */
export function signatureField(index: number, field: string): string {
  return field.startsWith('(') ? `customSignatures.${index}` : `customSignatures.${index}.${field}`;
}

/** Valid signatures among the editors' texts (for the preview and for saving). */
export function validSignatures(texts: readonly string[]): Signature[] {
  return texts.flatMap((t) => {
    const r = parseSignatureText(t);
    return r.ok ? [r.signature] : [];
  });
}

export function CustomSignaturesSection(props: Props) {
  const { texts, onTextsChange, signaturesLocked, problems, knownToolIds, toolName, paused = [] } = props;
  const id = useId();
  const parsed = texts.map((t) => parseSignatureText(t));
  const saveProblems = problems.filter((p) => p.field.startsWith('customSignatures'));

  return (
    <Section
      field="customSignatures"
      title="Custom signatures"
      locked={signaturesLocked}
      description={
        <p>
          Teach the extension a prompt the built-in catalogue does not know. Each signature is JSON: the
          pieces of evidence that together identify the prompt (its title, its buttons, a vendor address) and
          their weights. Wording that only appears in running text, such as a consultation note, never counts.
        </p>
      }
    >
      <CustomTools {...props} />
      <h3 className="mo-subheading">Signatures</h3>
      <FieldErrors id={`${id}-errors`} problems={saveProblems} />
      {texts.length === 0 ? <p className="mo-empty">No custom signatures.</p> : null}
      {texts.map((text, index) => {
        const result = parsed[index];
        const fieldId = `${id}-sig-${index}`;
        const own = result && !result.ok ? result.problems : [];
        const toolId = result?.ok ? result.signature.toolId : undefined;
        const pausedOn = result?.ok
          ? paused.filter((p) => p.signatureId === result.signature.id).map((p) => p.host || 'a page')
          : [];
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: editors are positional; texts change on every keystroke.
          <div key={index} className="mo-signature" data-signature-index={index}>
            <label className="mo-label" htmlFor={fieldId}>
              Signature {index + 1}
              {result?.ok ? (
                <>
                  : <code>{result.signature.id}</code>
                </>
              ) : null}
            </label>
            <textarea
              id={fieldId}
              className="mo-textarea mo-textarea--code"
              rows={Math.min(24, Math.max(8, text.split('\n').length))}
              spellCheck={false}
              value={text}
              readOnly={signaturesLocked}
              aria-invalid={own.length > 0 || undefined}
              aria-describedby={`${fieldId}-status`}
              onChange={(e) => onTextsChange(texts.map((t, i) => (i === index ? e.target.value : t)))}
            />
            <div id={`${fieldId}-status`} aria-live="polite">
              {own.length > 0 ? (
                <FieldErrors
                  id={`${fieldId}-errors`}
                  problems={own.map((p) => ({ ...p, field: signatureField(index, p.field) }))}
                />
              ) : (
                <p className="mo-valid">
                  Valid signature
                  {toolId && !knownToolIds.has(toolId) ? (
                    <>
                      {' '}
                      (its tool <code>{toolId}</code> has no name yet: add it under custom tools)
                    </>
                  ) : null}
                </p>
              )}
              {pausedOn.length > 0 ? (
                <p className="mo-callout mo-callout--warning" data-testid="signature-paused">
                  Paused on {pausedOn.join(', ')}: took too long. It stays off on that page until the page is
                  reloaded; simplify its patterns or selectors.
                </p>
              ) : null}
            </div>
            {signaturesLocked ? null : (
              <button
                type="button"
                className="mo-button mo-button--secondary mo-button--small"
                onClick={() => onTextsChange(texts.filter((_, i) => i !== index))}
              >
                Remove signature {index + 1}
              </button>
            )}
          </div>
        );
      })}
      {signaturesLocked ? null : (
        <button
          type="button"
          className="mo-button mo-button--secondary"
          onClick={() => onTextsChange([...texts, SIGNATURE_TEMPLATE])}
        >
          Add a signature
        </button>
      )}
      <SignaturePreview custom={validSignatures(texts)} toolName={toolName} />
    </Section>
  );
}

function CustomTools({ tools, onToolsChange, toolsLocked, problems }: Props) {
  const id = useId();
  const [toolId, setToolId] = useState('');
  const [name, setName] = useState('');
  const [vendor, setVendor] = useState('');
  const [addProblems, setAddProblems] = useState<FieldProblem[]>([]);

  function add() {
    const parsed = customToolSchema.safeParse({ id: toolId, name, ...(vendor.trim() ? { vendor } : {}) });
    if (!parsed.success) {
      setAddProblems(describeIssues(parsed.error, 'customTools.new'));
      return;
    }
    if (tools.some((t) => t.id === parsed.data.id)) {
      setAddProblems([{ field: 'customTools.new.id', reason: 'a custom tool with this id already exists' }]);
      return;
    }
    setAddProblems([]);
    onToolsChange([...tools, parsed.data]);
    setToolId('');
    setName('');
    setVendor('');
  }

  return (
    <div className="mo-subsection" id="section-customTools" data-testid="custom-tools">
      <h3 className="mo-subheading">Custom tools</h3>
      {toolsLocked ? <LockedNote /> : null}
      <FieldErrors id={`${id}-errors`} problems={problems.filter((p) => p.field.startsWith('customTools'))} />
      {tools.length === 0 ? (
        <p className="mo-empty">No custom tools.</p>
      ) : (
        <ul className="mo-list">
          {tools.map((t, index) => (
            <li key={t.id} className="mo-list__item">
              <strong>{t.name}</strong> <code>{t.id}</code>
              {t.vendor ? ` (${t.vendor})` : ''}{' '}
              {toolsLocked ? null : (
                <button
                  type="button"
                  className="mo-button mo-button--secondary mo-button--small"
                  onClick={() => onToolsChange(tools.filter((_, i) => i !== index))}
                >
                  Remove<span className="mo-visually-hidden"> {t.name}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {toolsLocked ? null : (
        <fieldset className="mo-fieldset">
          <legend className="mo-fieldset__legend">Add a custom tool</legend>
          <FieldErrors id={`${id}-add-errors`} problems={addProblems} />
          <div className="mo-form-group">
            <label className="mo-label" htmlFor={`${id}-id`}>
              Tool id
            </label>
            <div className="mo-hint" id={`${id}-id-hint`}>
              Lower-case letters, digits and hyphens; signatures refer to it as their toolId
            </div>
            <input
              id={`${id}-id`}
              className="mo-input mo-input--short"
              aria-describedby={`${id}-id-hint`}
              value={toolId}
              onChange={(e) => setToolId(e.target.value)}
            />
          </div>
          <div className="mo-form-group">
            <label className="mo-label" htmlFor={`${id}-name`}>
              Name shown to clinicians
            </label>
            <input
              id={`${id}-name`}
              className="mo-input"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </div>
          <div className="mo-form-group">
            <label className="mo-label" htmlFor={`${id}-vendor`}>
              Vendor (optional)
            </label>
            <input
              id={`${id}-vendor`}
              className="mo-input"
              value={vendor}
              onChange={(e) => setVendor(e.target.value)}
            />
          </div>
          <button type="button" className="mo-button mo-button--secondary" onClick={add}>
            Add custom tool
          </button>
        </fieldset>
      )}
    </div>
  );
}
