import { describe, expect, it } from 'vitest';
import { matchesPattern, originPatternFor, withoutPort } from '../../lib/match-pattern';

describe('matchesPattern', () => {
  it.each([
    ['https://*.clinical.example.nhs.uk/*', 'https://gp1.clinical.example.nhs.uk/rx?id=1', true],
    ['https://*.clinical.example.nhs.uk/*', 'https://clinical.example.nhs.uk/', true],
    ['https://*.clinical.example.nhs.uk/*', 'https://evilclinical.example.nhs.uk/', false],
    ['https://clinical.test/*', 'http://clinical.test/', false],
    ['*://clinical.test/*', 'http://clinical.test/a', true],
    ['http://clinical.test:8080/*', 'http://clinical.test:9090/', false],
    ['http://clinical.test/*', 'http://clinical.test:9090/x', true],
    ['https://h.example/app/*/prescribe', 'https://h.example/app/42/prescribe', true],
    ['https://h.example/app/*/prescribe', 'https://h.example/app/42/summary', false],
    ['<all_urls>', 'https://h.example/', false],
  ])('%s vs %s → %s', (pattern, url, expected) => {
    expect(matchesPattern(pattern, url)).toBe(expected);
  });

  it('answers adversarial paths (a backtracking matcher would hang here)', () => {
    expect(
      matchesPattern(`https://h.example/${'*a'.repeat(40)}b`, `https://h.example/${'a'.repeat(5000)}`),
    ).toBe(false);
  });
});

describe('origin helpers', () => {
  it('gives the origin pattern of http(s) pages only', () => {
    expect(originPatternFor('https://a.example:8443/x?y')).toBe('https://a.example/*');
    expect(originPatternFor('chrome://settings')).toBeUndefined();
  });
  it('drops ports, which browsers do not accept in granted patterns', () => {
    expect(withoutPort('http://clinical.test:8080/*')).toBe('http://clinical.test/*');
  });
});
