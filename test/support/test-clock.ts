import { generate } from 'otplib';
import type { Clock } from '../../src/domain/shared/clock.js';

/** A clock tests move by hand; it never sleeps. */
export class TestClock implements Clock {
  private current: number;

  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(seconds: number): void {
    this.current += seconds * 1000;
  }

  /** The TOTP code an authenticator app would show for `secret` now, by this clock. */
  totp(secret: string): Promise<string> {
    return generate({ secret, epoch: Math.floor(this.current / 1000) });
  }
}
