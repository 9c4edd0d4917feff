import { describe, expect, it } from 'vitest';
import { ruleInWords, ruleReferencesInWords } from '../../src/engine/rule-words';

describe('rules named for people: counted from 1, with the index beside it', () => {
  it('names one rule', () => {
    expect(ruleInWords(0)).toBe('rule 1 (index 0)');
    expect(ruleInWords(41)).toBe('rule 42 (index 41)');
  });

  it('turns every "rule N" of an engine message into words, once', () => {
    const message = 'rule 3 can never decide anything: rule 0 ("*.acme.com", port *) comes first';
    const words = ruleReferencesInWords(message);
    expect(words).toBe('rule 4 (index 3) can never decide anything: rule 1 (index 0) ("*.acme.com", port *) comes first');
    expect(ruleReferencesInWords(words)).toBe(words);
    // Not a rule reference: "rules", "rule10x".
    expect(ruleReferencesInWords('3 rules; rule10x')).toBe('3 rules; rule10x');
  });

  it('takes the words of the page that shows it', () => {
    expect(ruleReferencesInWords('rule 2: bad', (index) => `Regel ${index + 1}`)).toBe('Regel 3: bad');
  });
});
