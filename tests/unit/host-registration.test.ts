import { describe, expect, it } from 'vitest';
import {
  builtInPatterns,
  coversWholeOrigin,
  detectorRegistrations,
} from '../../entrypoints/background/host-registration';

describe('detector registration: one path to the page', () => {
  it('registers whole-origin patterns in all frames with matchOriginAsFallback, at document_start', () => {
    expect(detectorRegistrations(['https://*.clinical.example/*', 'http://127.0.0.1/*'])).toEqual([
      {
        id: 'mo-detector',
        js: ['/content-scripts/detector.js'],
        matches: ['https://*.clinical.example/*', 'http://127.0.0.1/*'],
        allFrames: true,
        matchOriginAsFallback: true,
        runAt: 'document_start',
        persistAcrossSessions: true,
      },
    ]);
  });

  it('registers a pattern narrowed to a path separately, without matchOriginAsFallback (Chrome refuses it)', () => {
    const [origins, paths] = detectorRegistrations(['https://a.example/*', 'https://b.example/app/*']);
    expect(origins).toMatchObject({ id: 'mo-detector', matches: ['https://a.example/*'] });
    expect(paths).toMatchObject({
      id: 'mo-detector-paths',
      matches: ['https://b.example/app/*'],
      allFrames: true,
    });
    expect(paths).not.toHaveProperty('matchOriginAsFallback');
    expect(detectorRegistrations([])).toEqual([]);
  });

  it('tells whole-origin patterns from path patterns', () => {
    expect(coversWholeOrigin('https://*.nhs.uk/*')).toBe(true);
    expect(coversWholeOrigin('http://127.0.0.1/*')).toBe(true);
    expect(coversWholeOrigin('https://a.example/app/*')).toBe(false);
    expect(coversWholeOrigin('https://a.example/index.html')).toBe(false);
  });

  it('only the e2e build watches hosts of its own (loopback); production watches none by default', () => {
    expect(builtInPatterns('e2e')).toEqual(['http://127.0.0.1/*', 'http://localhost/*']);
    expect(builtInPatterns('production')).toEqual([]);
  });
});
