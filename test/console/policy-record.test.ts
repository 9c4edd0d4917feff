import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/console/shapes';

describe('the policy record', () => {
  it('reads it under "policy", "policies" or "data", as an object or the first of an array', () => {
    expect(parsePolicy({ status: 'OK', policy: { policy_id: 'p-1', policy_name: 'Certs', policy_status: 'active', applications: ['a'] } })).toEqual({
      id: 'p-1',
      name: 'Certs',
      status: 'active',
      applications: ['a'],
    });
    expect(parsePolicy({ policies: [{ id: 7, name: 'N' }] })).toEqual({ id: '7', name: 'N', status: null, applications: [] });
    expect(parsePolicy({ data: { id: 'x', apps: [1] } })).toMatchObject({ id: 'x', applications: [1] });
  });

  it('a record with neither "policy_id" nor "id" is bad-data at its path', () => {
    expect(() => parsePolicy({ policies: [{ name: 'N' }] })).toThrow(
      expect.objectContaining({ kind: 'bad-data', path: '$.policies[0]', message: expect.stringMatching(/no "policy_id" or "id"/) as string }) as Error,
    );
  });

  it('a field of the wrong type is bad-data naming the field', () => {
    expect(() => parsePolicy({ policy: { id: 'x', name: {} } })).toThrow(expect.objectContaining({ kind: 'bad-data', path: '$.policy.name' }) as Error);
  });
});
