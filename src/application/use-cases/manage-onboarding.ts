import { ONBOARDING_STEPS, type OnboardingStep } from '../../domain/onboarding/onboarding-progress.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { OnboardingRepository } from '../ports/onboarding-repository.port.js';
import type { OrgContext } from '../services/org-context.js';
import type { Principal, RequestMeta } from '../services/request-meta.js';

/** The checklist as the API shows it. */
export interface OnboardingView {
  completedSteps: OnboardingStep[];
  requiredSteps: OnboardingStep[];
  completedAt: Date | null;
}

/**
 * GET/PATCH /api/v1/organizations/:org/onboarding. Members read the checklist; admins
 * (`organization:update`) tick steps off. An organization created without billing has no row
 * until its first step: it reads as an empty checklist.
 */
export class ManageOnboarding {
  constructor(private readonly deps: { onboarding: OnboardingRepository; context: OrgContext; clock: Clock }) {}

  async get(principal: Principal, orgRef: string, meta: RequestMeta): Promise<OnboardingView> {
    const { org } = await this.deps.context.require(principal, orgRef, 'organization:read', meta);
    const progress = await this.deps.onboarding.find(org.id);
    return { completedSteps: progress?.completedSteps ?? [], requiredSteps: [...ONBOARDING_STEPS], completedAt: progress?.completedAt ?? null };
  }

  async complete(principal: Principal, orgRef: string, step: OnboardingStep, meta: RequestMeta): Promise<OnboardingView> {
    const { org } = await this.deps.context.require(principal, orgRef, 'organization:update', meta);
    const progress = await this.deps.onboarding.completeStep(org.id, step, this.deps.clock.now());
    return { completedSteps: progress.completedSteps, requiredSteps: [...ONBOARDING_STEPS], completedAt: progress.completedAt };
  }
}
