import { useCallback, useEffect, useRef, useState } from 'react';
import { builtInTools } from '../../lib/catalogue';
import { withoutPort } from '../../lib/match-pattern';
import { parseJsonText } from '../../lib/schema-atoms';
import { type ImportMode, planImport, type SettingsChange } from '../../lib/settings/import';
import {
  SETTINGS_FIELDS,
  type Settings,
  type SettingsField,
  settingsSchema,
} from '../../lib/settings/schema';
import { describeIssues, type FieldProblem, parseSignatureText } from '../../lib/settings/validate';
import { builtInToolName } from '../tally/format';
import { TallyPanel } from '../tally/TallyPanel';
import { AllowListSection, type ToolChoice } from './AllowListSection';
import { browserOptionsApi, type OptionsApi, type OptionsSnapshot } from './api';
import { BannerSection } from './BannerSection';
import { ClinicalHostsSection } from './ClinicalHostsSection';
import { CustomSignaturesSection, signatureField } from './CustomSignaturesSection';
import { ImportExportSection, ImportPreview } from './ImportExportSection';
import { LmcGuidanceSection } from './LmcGuidanceSection';
import { PolicySection } from './PolicySection';
import { SignatureSetSection } from './SignatureSetSection';
import { TallySection } from './TallySection';
import { describeField, ErrorSummary, problemsFor, UnsavedFields } from './ui';

export const EXPORT_FILENAME = 'mo-prompt-advisor-settings.json';

const signatureText = (s: unknown) => JSON.stringify(s, null, 2);

function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The settings fields whose form values differ from the saved ones (signatures as typed). */
function unsavedFields(saved: Settings, draft: Settings, texts: readonly string[]): SettingsField[] {
  return SETTINGS_FIELDS.filter((field) =>
    field === 'customSignatures'
      ? JSON.stringify(texts) !== JSON.stringify(saved.customSignatures.map(signatureText))
      : JSON.stringify(draft[field]) !== JSON.stringify(saved[field]),
  );
}

interface Summary {
  title: string;
  problems: FieldProblem[];
  /** Problems with the form's values are also shown by their fields; a refused file's are not. */
  source: 'form' | 'file';
}

/** An import read and checked, waiting for the user to confirm its changes. */
interface PendingImport {
  fileName: string;
  mode: ImportMode;
  next: Settings;
  changes: SettingsChange[];
}

interface Props {
  api?: OptionsApi;
  today?: string;
}

/**
 * The options page. It edits the practice's own (local) settings as one draft, saved
 * with one button after validation; fields that policy sets are shown with the
 * policy's value, disabled, and labelled as set by the organisation.
 */
export function OptionsApp({ api = browserOptionsApi, today = todayIso() }: Props) {
  const [snapshot, setSnapshot] = useState<OptionsSnapshot>();
  const [draft, setDraft] = useState<Settings>();
  const [texts, setTexts] = useState<string[]>([]);
  const [summary, setSummary] = useState<Summary>();
  const [status, setStatus] = useState('');
  const [loadError, setLoadError] = useState<string>();
  const [grantsVersion, setGrantsVersion] = useState(0);
  const [pendingImport, setPendingImport] = useState<PendingImport>();
  /** The settings before the last import, so it can be undone. */
  const [undoImport, setUndoImport] = useState<{ fileName: string; previous: Settings }>();
  const dirtyRef = useRef(false);

  const reload = useCallback(
    async (resetDraft: boolean) => {
      try {
        const next = await api.load();
        setSnapshot(next);
        if (resetDraft) {
          setDraft(next.local);
          setTexts(next.local.customSignatures.map(signatureText));
        }
        setLoadError(undefined);
      } catch (error) {
        setLoadError(error instanceof Error ? error.message : String(error));
      }
    },
    [api],
  );

  useEffect(() => {
    void reload(true);
    // Policy may arrive or change while the page is open; a draft being edited is kept.
    return api.watch(() => {
      setGrantsVersion((v) => v + 1);
      void reload(!dirtyRef.current);
    });
  }, [api, reload]);

  const unsaved = snapshot && draft ? unsavedFields(snapshot.local, draft, texts) : [];
  const dirty = unsaved.length > 0;
  dirtyRef.current = dirty;

  // Leaving the page with unsaved changes asks first (the browser's own dialog).
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  if (loadError) {
    return (
      <main className="mo-main" id="main-content">
        <h1>MO Prompt Advisor settings</h1>
        <div className="mo-error-summary" role="alert">
          <h2 className="mo-error-summary__title">Settings could not be loaded</h2>
          <p>{loadError}</p>
        </div>
      </main>
    );
  }
  if (!snapshot || !draft) {
    return (
      <main className="mo-main" id="main-content">
        <h1>MO Prompt Advisor settings</h1>
        <p role="status">Loading settings…</p>
      </main>
    );
  }

  const { effective } = snapshot;
  const isLocked = (field: SettingsField) => effective.locked.includes(field);
  /** What a section shows: the policy's value when locked, else the draft. */
  const shown = <F extends SettingsField>(field: F): Settings[F] =>
    isLocked(field) ? effective.settings[field] : draft[field];
  const set = <F extends SettingsField>(field: F, value: Settings[F]) => {
    setDraft((d) => (d ? { ...d, [field]: value } : d));
    setStatus('');
  };
  const problems = summary?.source === 'form' ? summary.problems : [];

  const customTools = shown('customTools');
  const tools: ToolChoice[] = [
    ...builtInTools.map((t) => ({ id: t.id, name: t.name, origin: 'built-in' as const })),
    ...customTools
      .filter((t) => !builtInTools.some((b) => b.id === t.id))
      .map((t) => ({ id: t.id, name: t.name, origin: 'custom' as const })),
  ];
  const toolName = (toolId: string) => tools.find((t) => t.id === toolId)?.name ?? toolId;
  const signaturesLocked = isLocked('customSignatures');
  const shownTexts = signaturesLocked ? effective.settings.customSignatures.map(signatureText) : texts;

  /**
   * The one way the form's edits are kept: every section's changes are checked, then
   * written together. Hosts the draft adds are asked for in the same click, before any
   * await (the browser shows its prompt only during the user's gesture), and only once
   * the settings are known to be valid, so a grant never comes without its saved host.
   */
  async function save() {
    if (!draft || !snapshot) return;
    let customSignatures: unknown[] = draft.customSignatures;
    if (!signaturesLocked) {
      const results = texts.map((t) => parseSignatureText(t));
      const bad = results.flatMap((r, i) =>
        r.ok ? [] : r.problems.map((p) => ({ field: signatureField(i, p.field), reason: p.reason })),
      );
      if (bad.length > 0) {
        notSaved(bad);
        return;
      }
      customSignatures = results.flatMap((r) => (r.ok ? [r.signature] : []));
    }
    const next = { ...draft, customSignatures };
    const checked = settingsSchema.safeParse(next);
    if (!checked.success) {
      notSaved(describeIssues(checked.error, ''));
      return;
    }
    const added = isLocked('clinicalHosts')
      ? []
      : [
          ...new Set(
            draft.clinicalHosts.filter((h) => !snapshot.local.clinicalHosts.includes(h)).map(withoutPort),
          ),
        ];
    // Started now, awaited after the write: the browser's prompt waits for the user, and the
    // host is saved by the time a grant is reported.
    const asked = added.length > 0 ? api.requestHosts(added) : undefined;
    const result = await api.save(next);
    if (!result.ok) {
      notSaved(result.problems);
      return;
    }
    setSummary(undefined);
    await reload(true);
    setStatus('Settings saved.');
    if (asked) {
      const granted = await asked;
      setGrantsVersion((v) => v + 1);
      setStatus(
        granted
          ? `Settings saved. Access granted for ${added.join(', ')}.`
          : `Settings saved. Access not granted for ${added.join(', ')}: the extension does not look there until you use "Grant access".`,
      );
    }
  }

  function notSaved(problems: FieldProblem[]) {
    setSummary({ title: 'Your settings were not saved: there is a problem', problems, source: 'form' });
    setStatus('');
  }

  /**
   * Reads and checks a file, then shows every change it would make: nothing is written
   * until the user confirms. By default only the keys the file holds change.
   */
  async function importFile(file: File, mode: ImportMode) {
    setPendingImport(undefined);
    const refused = (problems: FieldProblem[]) => {
      setSummary({ title: `${file.name} was not imported: nothing was changed`, problems, source: 'file' });
      setStatus('');
    };
    const json = parseJsonText(await file.text(), '(file)');
    if (!json.ok) {
      refused(json.problems);
      return;
    }
    if (!snapshot) return;
    const plan = planImport(snapshot.local, json.value, mode);
    if (!plan.ok) {
      refused(plan.problems);
      return;
    }
    setSummary(undefined);
    if (plan.changes.length === 0) {
      setStatus(`${file.name} holds the settings already saved: nothing to change.`);
      return;
    }
    setStatus('');
    setPendingImport({ fileName: file.name, mode, next: plan.next, changes: plan.changes });
  }

  async function confirmImport() {
    if (!pendingImport || !snapshot) return;
    const previous = snapshot.local;
    const result = await api.save(pendingImport.next);
    if (!result.ok) {
      setSummary({
        title: `${pendingImport.fileName} was not imported: nothing was changed`,
        problems: result.problems,
        source: 'file',
      });
      return;
    }
    const count = pendingImport.changes.length;
    setPendingImport(undefined);
    setUndoImport({ fileName: pendingImport.fileName, previous });
    await reload(true);
    setStatus(
      `Imported ${count} ${count === 1 ? 'change' : 'changes'} from ${pendingImport.fileName} and saved.`,
    );
  }

  async function undoLastImport() {
    if (!undoImport) return;
    const result = await api.save(undoImport.previous);
    if (!result.ok) return;
    setUndoImport(undefined);
    await reload(true);
    setStatus(`Undone: the settings from before ${undoImport.fileName} are back.`);
  }

  async function keepMandatesLocally() {
    const latest = await api.load();
    const missing = latest.effective.unconfirmedMandates.filter(
      (m) => !latest.local.allowList.some((e) => e.toolId === m.toolId),
    );
    const result = await api.save({ ...latest.local, allowList: [...latest.local.allowList, ...missing] });
    if (!result.ok) {
      setSummary({
        title: 'The allow-list was not saved: there is a problem',
        problems: result.problems,
        source: 'form',
      });
      return;
    }
    await api.forgetMandates();
    await reload(true);
    setStatus("Saved: the previous policy's mandates are now this practice's allow-list.");
  }

  async function forgetMandates() {
    await api.forgetMandates();
    await reload(false);
    setStatus("The previous policy's mandates are no longer applied.");
  }

  /** Always what is saved (the policy format), never the draft; says so when they differ. */
  function exportSettings() {
    if (!snapshot) return;
    api.download(EXPORT_FILENAME, `${JSON.stringify(snapshot.local, null, 2)}\n`);
    setStatus(
      dirty
        ? `Exported the saved settings as ${EXPORT_FILENAME}; you have unsaved changes, which are not in the file. Save settings, then export again to include them.`
        : `Exported the saved settings as ${EXPORT_FILENAME}.`,
    );
  }

  // Custom tools are edited in the custom signatures section.
  const unsavedSections = new Set<string>(unsaved.map((f) => (f === 'customTools' ? 'customSignatures' : f)));

  return (
    <UnsavedFields.Provider value={unsavedSections}>
      <main className="mo-main" id="main-content">
        <h1 className="mo-heading-xl">MO Prompt Advisor settings</h1>
        <p className="mo-lede">
          Choose where the extension looks for medicines optimisation prompts, which tools your local service
          requires, and how the advisory banner behaves. Changes apply to this browser once saved.
        </p>

        {summary ? <ErrorSummary title={summary.title} problems={summary.problems} /> : null}

        <PolicySection
          effective={effective}
          toolName={toolName}
          onForgetMandates={() => void forgetMandates()}
          onKeepMandates={() => void keepMandatesLocally()}
        />

        {snapshot.repairs.length > 0 ? (
          <div className="mo-callout mo-callout--warning" data-testid="repairs-notice">
            <h2 className="mo-callout__title">Some saved settings were repaired</h2>
            <p>They could not be read as saved; everything else was kept. What changed and why:</p>
            <ul>
              {snapshot.repairs.map((r) => (
                <li key={`${r.field}:${r.reason}`}>
                  <code>{r.field}</code>: {r.reason}
                </li>
              ))}
            </ul>
            <button
              type="button"
              className="mo-button mo-button--secondary mo-button--small"
              onClick={() => void api.clearRepairs().then(() => reload(false))}
            >
              Dismiss this notice
            </button>
          </div>
        ) : null}

        <AllowListSection
          entries={shown('allowList')}
          tools={tools}
          locked={isLocked('allowList')}
          problems={problemsFor(problems, 'allowList')}
          onChange={(v) => set('allowList', v)}
          today={today}
        />
        <ClinicalHostsSection
          hosts={shown('clinicalHosts')}
          locked={isLocked('clinicalHosts')}
          problems={problemsFor(problems, 'clinicalHosts')}
          savedHosts={isLocked('clinicalHosts') ? shown('clinicalHosts') : snapshot.local.clinicalHosts}
          onChange={(v) => set('clinicalHosts', v)}
          api={api}
          grantsVersion={grantsVersion}
        />
        <CustomSignaturesSection
          texts={shownTexts}
          onTextsChange={(v) => {
            setTexts(v);
            setStatus('');
          }}
          signaturesLocked={signaturesLocked}
          tools={customTools}
          onToolsChange={(v) => set('customTools', v)}
          toolsLocked={isLocked('customTools')}
          problems={problems}
          knownToolIds={new Set(tools.map((t) => t.id))}
          toolName={toolName}
          paused={snapshot.paused}
        />
        <SignatureSetSection
          saved={snapshot.local}
          locked={signaturesLocked}
          download={(name, text) => api.download(name, text)}
          onProblems={(fileName, fileProblems) => {
            setSummary({
              title: `${fileName} was not imported: nothing was changed`,
              problems: fileProblems,
              source: 'file',
            });
            setStatus('');
          }}
          onSave={async (next, message) => {
            const result = await api.save(next);
            if (!result.ok) {
              setSummary({
                title: 'The signature set was not saved: there is a problem',
                problems: result.problems,
                source: 'file',
              });
              return false;
            }
            setSummary(undefined);
            await reload(true);
            setStatus(message);
            return true;
          }}
        />
        <BannerSection
          value={shown('banner')}
          locked={isLocked('banner')}
          problems={problemsFor(problems, 'banner')}
          onChange={(v) => set('banner', v)}
        />
        <LmcGuidanceSection
          value={shown('lmcGuidanceUrl')}
          locked={isLocked('lmcGuidanceUrl')}
          problems={problemsFor(problems, 'lmcGuidanceUrl')}
          onChange={(v) => set('lmcGuidanceUrl', v)}
        />
        <TallySection
          value={shown('tally')}
          locked={isLocked('tally')}
          problems={problemsFor(problems, 'tally')}
          onChange={(v) => set('tally', v)}
        >
          {/* Saved, in-force values only: opening the panel prunes by retention. */}
          <TallyPanel
            enabled={effective.settings.tally.enabled}
            lockedByPolicy={isLocked('tally')}
            retentionDays={effective.settings.tally.retentionDays}
            toolName={(id) =>
              effective.settings.customTools.find((t) => t.id === id)?.name ?? builtInToolName(id)
            }
          />
        </TallySection>
        <ImportExportSection
          onImportFile={(f, mode) => void importFile(f, mode)}
          onExport={exportSettings}
          dirty={dirty}
        >
          {pendingImport ? (
            <ImportPreview
              fileName={pendingImport.fileName}
              mode={pendingImport.mode}
              changes={pendingImport.changes}
              onConfirm={() => void confirmImport()}
              onCancel={() => {
                setPendingImport(undefined);
                setStatus(`${pendingImport.fileName} was not imported: nothing was changed.`);
              }}
            />
          ) : null}
          {undoImport && !pendingImport ? (
            <button
              type="button"
              className="mo-button mo-button--secondary"
              data-testid="undo-import"
              onClick={() => void undoLastImport()}
            >
              Undo the import of {undoImport.fileName}
            </button>
          ) : null}
        </ImportExportSection>

        <div className="mo-save-bar">
          <button type="button" className="mo-button" onClick={() => void save()} data-testid="save-settings">
            Save settings
          </button>
          <p className="mo-save-bar__status" role="status" data-testid="save-status">
            {status ||
              (dirty
                ? `You have unsaved changes (${unsaved.map(describeField).join(', ')}). They apply once you save.`
                : '')}
          </p>
        </div>
      </main>
    </UnsavedFields.Provider>
  );
}
