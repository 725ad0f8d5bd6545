type Manifest = Record<string, unknown>;
/** Problems with a production manifest (empty when it is fine). */
export function productionProblems(manifest: Manifest, label?: string): string[];
/** Problems with an e2e manifest compared with the production one of the same browser. */
export function parityProblems(e2e: Manifest, production: Manifest, label?: string): string[];
