import type { Clock } from '../../domain/shared/clock.js';
import { isDomainError } from '../../domain/shared/domain-error.js';
import type { OnboardingStep } from '../../domain/onboarding/onboarding-progress.js';
import type { OnboardingRepository } from '../ports/onboarding-repository.port.js';

/**
 * Completes onboarding steps where Gatehouse sees them happen: `profile` when a member saves
 * their name (PATCH /me, activation), `invite_member` when a member is added. Called inside the
 * unit of work of that change when there is one, so the step commits with it.
 */
export class OnboardingTracker {
  constructor(private readonly deps: { onboarding: OnboardingRepository; clock: Clock }) {}

  /** Marks `step` done for the organization; nothing for no organization or one deleted meanwhile. */
  async stepDone(tenantId: string | null | undefined, step: OnboardingStep): Promise<void> {
    if (!tenantId) return;
    try {
      await this.deps.onboarding.completeStep(tenantId, step, this.deps.clock.now());
    } catch (error) {
      if (!isDomainError(error, 'TENANT_NOT_FOUND')) throw error;
    }
  }
}
