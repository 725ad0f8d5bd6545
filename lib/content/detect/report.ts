import type { FrameToolReport } from '../../messages';
import type { Finding } from './scan';

/** What a frame tells the background: per tool, ids, counts and evidence kinds only. */
export function summariseFindings(findings: readonly Finding[]): FrameToolReport[] {
  const byTool = new Map<string, FrameToolReport & { containers: Set<Element> }>();
  for (const f of findings) {
    const entry =
      byTool.get(f.toolId) ??
      ({
        toolId: f.toolId,
        signatureIds: [],
        confidence: 'moderate',
        count: 0,
        evidenceKinds: [],
        containers: new Set(),
      } as FrameToolReport & {
        containers: Set<Element>;
      });
    if (!entry.signatureIds.includes(f.signatureId)) entry.signatureIds.push(f.signatureId);
    if (f.confidence === 'high') entry.confidence = 'high';
    entry.containers.add(f.element);
    for (const e of f.evidence) if (!entry.evidenceKinds.includes(e.kind)) entry.evidenceKinds.push(e.kind);
    byTool.set(f.toolId, entry);
  }
  return [...byTool.values()]
    .map(({ containers, ...report }) => ({
      ...report,
      count: containers.size,
      signatureIds: report.signatureIds.sort(),
      evidenceKinds: report.evidenceKinds.sort(),
    }))
    .sort((a, b) => a.toolId.localeCompare(b.toolId));
}
