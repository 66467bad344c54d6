import type { OnboardingProgress, OnboardingStep } from '../../domain/onboarding/onboarding-progress.js';

/** Organizations' onboarding checklists (`onboarding_progress`, deleted with the organization). */
export interface OnboardingRepository {
  /** The organization's checklist, or null when none was started. */
  find(tenantId: string): Promise<OnboardingProgress | null>;
  /** Creates an empty checklist for the organization unless it has one (idempotent). TENANT_NOT_FOUND for an unknown organization. */
  start(tenantId: string, now: Date): Promise<void>;
  /**
   * Marks `step` done in one atomic statement (creating the checklist if needed), so concurrent
   * completions of different steps never lose one; sets `completedAt` when the last required step
   * is done. Returns the checklist after the change. TENANT_NOT_FOUND for an unknown organization.
   */
  completeStep(tenantId: string, step: OnboardingStep, now: Date): Promise<OnboardingProgress>;
}
