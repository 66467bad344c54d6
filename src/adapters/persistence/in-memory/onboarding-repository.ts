import type { OnboardingRepository } from '../../../application/ports/onboarding-repository.port.js';
import { DomainError } from '../../../domain/shared/domain-error.js';
import { completeOnboardingStep, newOnboardingProgress, type OnboardingProgress, type OnboardingStep } from '../../../domain/onboarding/onboarding-progress.js';
import { copyOf, type InMemoryStore, type Tables } from './in-memory-store.js';

/** Onboarding checklists in memory; each method is one store statement. */
export class InMemoryOnboardingRepository implements OnboardingRepository {
  constructor(private readonly store: InMemoryStore) {}

  find(tenantId: string): Promise<OnboardingProgress | null> {
    return this.store.statement((t) => {
      const row = t.onboarding.get(tenantId);
      return row ? copyOf(row) : null;
    });
  }

  start(tenantId: string, now: Date): Promise<void> {
    return this.store.statement((t) => {
      requireTenant(t, tenantId);
      if (!t.onboarding.has(tenantId)) t.onboarding.set(tenantId, newOnboardingProgress(tenantId, now));
    });
  }

  completeStep(tenantId: string, step: OnboardingStep, now: Date): Promise<OnboardingProgress> {
    return this.store.statement((t) => {
      requireTenant(t, tenantId);
      const current = t.onboarding.get(tenantId) ?? newOnboardingProgress(tenantId, now);
      const next = completeOnboardingStep(current, step, now);
      t.onboarding.set(tenantId, next);
      return copyOf(next);
    });
  }
}

/** The foreign key onboarding_progress.tenant_id → organizations. */
function requireTenant(t: Tables, tenantId: string): void {
  if (!t.orgs.has(tenantId)) throw new DomainError('TENANT_NOT_FOUND', 'Organization not found');
}
