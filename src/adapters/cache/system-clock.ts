import type { Clock } from '../../domain/shared/clock.js';

/** Wall-clock time. Tests inject a controllable clock instead. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}
