/**
 * Supporting evidence: what an MO prompt says and the buttons it offers, whatever the
 * tool. Never enough on its own: it counts only beside a tool's own evidence (a brand
 * position, a vendor token or URL), and the message wording only where the text sits in
 * a prompt (a prompt container, a vendor frame's document, or beside prompt buttons).
 * Never counted where the container reads like the clinical system's own safety alert.
 *
 * All `inferred`: public descriptions of OptimiseRx and ScriptSwitch say what their
 * messages are about (formulary status with traffic lights, cheaper or preferred
 * alternatives, switches, savings, best-practice and safety messages); none shows the
 * exact wording. These phrases are our guesses at that wording, not quoted strings.
 * Zod-free: content scripts import it.
 */

export interface SupportingCatalogue {
  /** Generic prompt buttons; `minMatches` of them in one container count. */
  controls: { labels: readonly string[]; minMatches: number; weight: number; basis: 'inferred' };
  /** MO-message wording, as plain phrases (case-insensitive, whole words, spaces flexible). */
  message: { phrases: readonly string[]; weight: number; basis: 'inferred' };
  /** Words of the clinical system's own safety checking: where they appear, support does not count. */
  clinicalAlertPhrases: readonly string[];
}

export const supportingEvidence: SupportingCatalogue = {
  controls: {
    labels: ['Accept', 'Reject', 'Feedback', 'Dismiss', 'Decline', 'Ignore', 'Not now', 'More info'],
    minMatches: 2,
    weight: 0.3,
    basis: 'inferred',
  },
  message: {
    phrases: [
      'formulary status',
      'formulary red',
      'formulary amber',
      'formulary green',
      'red formulary',
      'amber formulary',
      'green formulary',
      'non-formulary',
      'non formulary',
      'off formulary',
      'formulary alternative',
      'formulary choice',
      'cost-effective alternative',
      'cost effective alternative',
      'more cost-effective',
      'more cost effective',
      'cheaper alternative',
      'preferred alternative',
      'preferred choice',
      'suggested switch',
      'suggested alternative',
      'recommended switch',
      'consider switching',
      'consider a switch',
      'switch to',
      'saving per year',
      'savings per year',
      'saving per annum',
      'annual saving',
      'potential saving',
      'a year saving',
      'best practice message',
      'best-practice message',
      'best practice guidance',
      'prescribing message',
      'safety message',
    ],
    weight: 0.15,
    basis: 'inferred',
  },
  clinicalAlertPhrases: [
    'drug interaction',
    'interaction',
    'interactions',
    'contraindication',
    'contraindicated',
    'allergy',
    'allergies',
    'sensitivity',
    'duplicate therapy',
    'prescribing decision support',
  ],
};
