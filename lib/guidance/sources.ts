import type { GuidanceSource } from './schema';

/**
 * The public pages the guidance rests on (see docs/guidance-sources.md). Each was read
 * on the `accessed` date; nothing here is fetched at run time.
 */

const accessed = '2026-11-24';

export const sources = {
  bmaHowToTakePart: {
    title: 'How to take part in GP collective action in England',
    publisher: 'BMA',
    url: 'https://www.bma.org.uk/our-campaigns/gp-campaigns/england/how-to-take-part-in-gp-collective-action-in-england',
    accessed,
  },
  bmaMay2026Statement: {
    title:
      'GPs in England say progress made but Government offer is insufficient to avert action over imposed contract',
    publisher: 'BMA media centre',
    url: 'https://www.bma.org.uk/bma-media-centre/gps-in-england-say-progress-made-but-government-offer-is-insufficient-to-avert-action-over-imposed-contract-as-they-seek-further-concessions',
    accessed,
  },
  pulseEscalation: {
    title: 'BMA goes ahead with GP collective action escalation "putting care ahead of cost savings"',
    publisher: 'Pulse',
    url: 'https://www.pulsetoday.co.uk/news/clinical-areas/long-term-conditions-prescribing/bma-goes-ahead-with-gp-collective-action-escalation-putting-care-ahead-of-cost-savings/',
    accessed,
  },
  pulseTemplateLetter: {
    title: 'GP collective action to escalate next month if Government "fails to provide concessions"',
    publisher: 'Pulse',
    url: 'https://www.pulsetoday.co.uk/news/politics/gp-collective-action-to-escalate-next-month-if-government-fails-to-provide-concessions/',
    accessed,
  },
  wiganMoSoftware: {
    title:
      'BMA focus on switching off medicines optimisation software and professional autonomy in acute prescribing',
    publisher: 'Wigan LMC',
    url: 'https://wiganlmc.org.uk/bma-focus-on-switching-off-medicines-optimisation-software-and-professional-autonomy-in-acute-prescribing/',
    accessed,
  },
  kernowUpdate: {
    title: 'LMC update, 5 June 2026',
    publisher: 'Kernow LMC',
    url: 'https://www.kernowlmc.co.uk/lmc-update-5-june-2026/',
    accessed,
  },
  nwlmcsCollectiveAction: {
    title: 'GP collective action: summary',
    publisher: 'North West LMCs',
    url: 'https://nwlmcs.org/resources/collective-action',
    accessed,
  },
  sslmcsDsas: {
    title: 'GP collective action 2026: data sharing agreements',
    publisher: 'Surrey and Sussex LMCs',
    url: 'https://www.sslmcs.co.uk/?p=7150',
    accessed,
  },
  sslmcsNews: {
    title: 'GP collective action 2026 news',
    publisher: 'Surrey and Sussex LMCs',
    url: 'https://www.sslmcs.co.uk/news/gp-collective-action-2026-news/',
    accessed,
  },
  blmcCollectiveAction: {
    title: 'Collective action',
    publisher: 'Birmingham LMC',
    url: 'https://www.blmc.co.uk/collective-action/',
    accessed,
  },
  bsolEso: {
    title: 'Enhanced Service Offer (ESO) updates for practices and PCNs',
    publisher: 'Birmingham and Solihull GP Primary Care Support Unit',
    url: 'https://bsol-gppsu.net/',
    accessed,
  },
  llrOptum: {
    title: 'Optum (Medicines Optimisation Framework and the Accelerate programme)',
    publisher: 'Leicester, Leicestershire and Rutland LMC',
    url: 'https://www.llrlmc.co.uk/guidance/optum/',
    accessed,
  },
  fdbOptimiseRx: {
    title: 'OptimiseRx: medicines optimisation at the point of prescribing',
    publisher: 'FDB (First Databank Europe)',
    url: 'https://www.fdbhealth.co.uk/solutions/optimiserx',
    accessed,
  },
  bucksOptimiseRx: {
    title: 'OptimiseRx',
    publisher: 'NHS Buckinghamshire',
    url: 'https://www.buckinghamshireccg.nhs.uk/optimise-rx/',
    accessed,
  },
  cegedimScriptSwitch: {
    title: 'Consultation Manager: How ScriptSwitch works',
    publisher: 'Cegedim Healthcare Solutions (Vision help)',
    url: 'https://help.cegedim-healthcare.co.uk/DLM860/Consultation_Manager/Content/ConMgr/29230.htm',
    accessed,
  },
} as const satisfies Record<string, GuidanceSource>;
