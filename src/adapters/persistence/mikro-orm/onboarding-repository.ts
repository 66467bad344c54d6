import type { OnboardingRepository } from '../../../application/ports/onboarding-repository.port.js';
import { ONBOARDING_STEPS, type OnboardingProgress, type OnboardingStep } from '../../../domain/onboarding/onboarding-progress.js';
import { translated } from './constraint-errors.js';
import { date, dateOrNull, json, text, type RawRow } from './raw-row.js';
import type { TransactionScope } from './transaction-scope.js';

/**
 * Adds a step in one upsert: appended only if absent, and `completed_at` set (once) when the
 * stored list then contains every required step. Concurrent completions of two steps both land,
 * because each appends to the row as it is when its turn comes (row lock), not as it was read.
 */
const COMPLETE_SQL = `
  insert into onboarding_progress as o (tenant_id, completed_steps, completed_at, created_at, updated_at)
  values (?, ?::jsonb, case when ?::jsonb <@ ?::jsonb then ?::timestamptz end, ?, ?)
  on conflict (tenant_id) do update set
    completed_steps = case when o.completed_steps @> excluded.completed_steps then o.completed_steps else o.completed_steps || excluded.completed_steps end,
    completed_at = coalesce(o.completed_at, case when ?::jsonb <@ (o.completed_steps || excluded.completed_steps) then excluded.updated_at end),
    updated_at = case when o.completed_steps @> excluded.completed_steps then o.updated_at else excluded.updated_at end
  returning *`;

/** Onboarding checklists in PostgreSQL (`onboarding_progress`, jsonb list of steps). */
export class MikroOrmOnboardingRepository implements OnboardingRepository {
  constructor(private readonly scope: TransactionScope) {}

  async find(tenantId: string): Promise<OnboardingProgress | null> {
    const [row] = await this.scope.em().execute<RawRow[]>('select * from onboarding_progress where tenant_id = ?', [tenantId]);
    return row ? toProgress(row) : null;
  }

  async start(tenantId: string, now: Date): Promise<void> {
    await translated(() =>
      this.scope.write((em) =>
        em.execute(`insert into onboarding_progress (tenant_id, completed_steps, completed_at, created_at, updated_at) values (?, '[]', null, ?, ?) on conflict (tenant_id) do nothing`, [
          tenantId,
          now,
          now,
        ]),
      ),
    );
  }

  async completeStep(tenantId: string, step: OnboardingStep, now: Date): Promise<OnboardingProgress> {
    const required = JSON.stringify(ONBOARDING_STEPS);
    const added = JSON.stringify([step]);
    const rows = await translated(() => this.scope.write((em) => em.execute<RawRow[]>(COMPLETE_SQL, [tenantId, added, required, added, now, now, now, required])));
    const [row] = rows;
    if (!row) throw new Error('onboarding upsert returned no row');
    return toProgress(row);
  }
}

function toProgress(row: RawRow): OnboardingProgress {
  return {
    tenantId: text(row, 'tenant_id'),
    completedSteps: json<OnboardingStep[]>(row, 'completed_steps'),
    completedAt: dateOrNull(row, 'completed_at'),
    createdAt: date(row, 'created_at'),
    updatedAt: date(row, 'updated_at'),
  };
}
