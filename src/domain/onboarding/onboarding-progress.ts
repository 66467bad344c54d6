/** The steps of the guided onboarding checklist, in the order the UI shows them. */
export const ONBOARDING_STEPS = ['profile', 'workspace', 'invite_member', 'first_workflow'] as const;

/** One step of the onboarding checklist. */
export type OnboardingStep = (typeof ONBOARDING_STEPS)[number];

/**
 * An organization's onboarding checklist. `completedAt` is set once, when the last required
 * step is done, and never cleared: finishing is a milestone, not a state to recompute.
 */
export interface OnboardingProgress {
  tenantId: string;
  /** Completed steps, each once, in completion order. */
  completedSteps: OnboardingStep[];
  completedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A fresh checklist with nothing done. */
export function newOnboardingProgress(tenantId: string, now: Date): OnboardingProgress {
  return { tenantId, completedSteps: [], completedAt: null, createdAt: now, updatedAt: now };
}

/** Whether `value` names a step (for input from outside). */
export function isOnboardingStep(value: string): value is OnboardingStep {
  return (ONBOARDING_STEPS as readonly string[]).includes(value);
}

/** The checklist with `step` done; unchanged (same object) when it was done already. */
export function completeOnboardingStep(progress: OnboardingProgress, step: OnboardingStep, now: Date): OnboardingProgress {
  if (progress.completedSteps.includes(step)) return progress;
  const completedSteps = [...progress.completedSteps, step];
  const allDone = ONBOARDING_STEPS.every((s) => completedSteps.includes(s));
  return { ...progress, completedSteps, completedAt: progress.completedAt ?? (allDone ? now : null), updatedAt: now };
}
