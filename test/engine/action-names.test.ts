import { expect, test } from 'vitest';
import { ActionSchema } from '../../src/engine/model';
import { ACTION_NAMES } from '../../src/engine/rule';

// rule.ts keeps a plain copy of the actions so the pages need no zod at run time.
test('the plain action list in rule.ts equals ActionSchema', () => {
  expect([...ACTION_NAMES].sort()).toEqual([...ActionSchema.options].sort());
});
