import { DomainError } from '../shared/domain-error.js';
import { isIdShaped } from '../shared/id.js';

const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Slugs that would collide with routes or confuse people. */
const RESERVED = new Set(['api', 'admin', 'www', 'docs', 'health', 'ready', 'metrics', 'well-known', 'new', 'me']);

/**
 * Validates an organization slug: lowercase letters, digits and inner hyphens, 2–63 characters. `:org` accepts
 * an id or a slug, so a slug shaped like an id could stand for another organization's id: refused.
 */
export function assertValidSlug(slug: string): string {
  if (slug.length < 2 || !SLUG_PATTERN.test(slug) || slug.includes('--') || RESERVED.has(slug) || isIdShaped(slug)) {
    throw new DomainError('TENANT_SLUG_INVALID', 'Slug must be 2-63 lowercase letters, digits or single hyphens, not reserved and not shaped like an id');
  }
  return slug;
}

/** Derives a slug candidate from a display name (ASCII-folded, hyphenated). */
export function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/g, '');
  return base.length >= 2 && !RESERVED.has(base) && !isIdShaped(base) ? base : `org-${base || 'new'}`.replace(/-+$/g, '');
}
