import { describe, expect, it } from 'vitest';
import { validateCustomRole } from '../../../src/domain/access/index.js';

describe('validateCustomRole', () => {
  it('normalises permissions to catalogue order without duplicates and trims the name', () => {
    expect(validateCustomRole({ key: 'ops', name: '  Ops  ', permissions: ['credits:read', 'entity:view', 'credits:read'] })).toEqual({
      ok: true,
      role: { key: 'ops', name: 'Ops', permissions: ['entity:view', 'credits:read'] },
    });
  });

  it.each([
    ['Ops', 'ACCESS_INVALID_ROLE_KEY'],
    ['', 'ACCESS_INVALID_ROLE_KEY'],
    ['1ops', 'ACCESS_INVALID_ROLE_KEY'],
    ['a'.repeat(65), 'ACCESS_INVALID_ROLE_KEY'],
    ['manager', 'ACCESS_RESERVED_ROLE_KEY'],
    ['viewer', 'ACCESS_RESERVED_ROLE_KEY'],
  ])('rejects key %j with %s', (key, code) => {
    expect(validateCustomRole({ key, name: 'Name', permissions: [] })).toEqual({ ok: false, error: { code, subject: key } });
  });

  it('rejects blank and overlong names', () => {
    expect(validateCustomRole({ key: 'ops', name: '   ', permissions: [] })).toMatchObject({ ok: false, error: { code: 'ACCESS_INVALID_ROLE_NAME' } });
    expect(validateCustomRole({ key: 'ops', name: 'x'.repeat(101), permissions: [] })).toMatchObject({ ok: false, error: { code: 'ACCESS_INVALID_ROLE_NAME' } });
  });

  it('rejects a permission outside the catalogue, naming it', () => {
    expect(validateCustomRole({ key: 'ops', name: 'Ops', permissions: ['entity:view', 'entity:*'] })).toEqual({
      ok: false,
      error: { code: 'ACCESS_UNKNOWN_PERMISSION', subject: 'entity:*' },
    });
  });
});
