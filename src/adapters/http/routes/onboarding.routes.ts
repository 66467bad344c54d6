import { z } from 'zod';
import type { OnboardingView } from '../../../application/use-cases/manage-onboarding.js';
import { ONBOARDING_STEPS } from '../../../domain/onboarding/onboarding-progress.js';
import type { HttpDeps } from '../http-deps.js';
import { defineRoute, type RouteDef } from '../route.js';
import { OrgParam } from '../schemas/common.schemas.js';

const OnboardingProgressView = z
  .object({
    completedSteps: z.array(z.enum(ONBOARDING_STEPS)),
    requiredSteps: z.array(z.enum(ONBOARDING_STEPS)),
    completedAt: z.string().nullable().meta({ description: 'When the last required step was done (ISO 8601)' }),
  })
  .meta({ id: 'OnboardingProgress' });

function view(progress: OnboardingView) {
  return { completedSteps: progress.completedSteps, requiredSteps: progress.requiredSteps, completedAt: progress.completedAt?.toISOString() ?? null };
}

/** The organization's onboarding checklist. */
export function onboardingRoutes(d: HttpDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/organizations/:org/onboarding', operationId: 'getOnboarding', tag: 'Organizations', auth: 'bearer', params: OrgParam,
      summary: 'Onboarding checklist: completed and required steps',
      responses: { 200: { description: 'Checklist', schema: OnboardingProgressView } },
      errors: ['TENANT_NOT_FOUND', 'TENANT_ARCHIVED'],
      handler: async ({ principal, params, meta }) => ({ status: 200, body: view(await d.onboarding.get(principal, params.org, meta)) }),
    }),
    defineRoute({
      method: 'patch', path: '/api/v1/organizations/:org/onboarding', operationId: 'completeOnboardingStep', tag: 'Organizations', auth: 'bearer', params: OrgParam,
      body: z.object({ step: z.enum(ONBOARDING_STEPS) }).strict(),
      summary: 'Mark a step done (admin); completedAt is set when all are done',
      responses: { 200: { description: 'Checklist', schema: OnboardingProgressView } },
      errors: ['ACCESS_DENIED', 'TENANT_NOT_FOUND', 'TENANT_ARCHIVED'],
      handler: async ({ principal, params, body, meta }) => ({ status: 200, body: view(await d.onboarding.complete(principal, params.org, body.step, meta)) }),
    }),
  ];
}
