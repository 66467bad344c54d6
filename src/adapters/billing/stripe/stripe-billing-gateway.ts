import Stripe from 'stripe';
import type { BillingGateway, CheckoutRequest } from '../../../application/ports/billing-gateway.port.js';
import type { BillingEvent } from '../../../domain/billing/billing-event.js';
import type { PlanCatalogue } from '../../../domain/billing/plans.js';
import type { Clock } from '../../../domain/shared/clock.js';
import { DomainError } from '../../../domain/shared/domain-error.js';
import { translateStripeError } from './stripe-errors.js';
import { METADATA, translateStripeEvent } from './stripe-event-translator.js';

/** How to reach Stripe. `apiUrl` points the SDK at another base URL (the local emulator). */
export interface StripeGatewayOptions {
  secretKey: string;
  webhookSecret: string;
  apiUrl?: string | undefined;
  timeoutMs: number;
}

/** Stripe's default tolerance: a signature older than five minutes is refused (replay window). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** `https://host:port` as the SDK's `host`/`port`/`protocol` options. */
export function stripeEndpoint(apiUrl: string | undefined): { host?: string; port?: number; protocol?: 'http' | 'https' } {
  if (!apiUrl) return {};
  const url = new URL(apiUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443, protocol };
}

/**
 * The BillingGateway on the official `stripe` SDK: Checkout Sessions in subscription mode,
 * Billing Portal sessions, and webhook verification with `constructEvent`. No retries here:
 * a checkout is started by a person who can retry, and a retried POST without an idempotency
 * key could open a second session.
 */
export class StripeBillingGateway implements BillingGateway {
  private readonly stripe: Stripe;

  constructor(
    private readonly options: StripeGatewayOptions,
    private readonly catalogue: PlanCatalogue,
    private readonly clock: Clock,
  ) {
    this.stripe = new Stripe(options.secretKey, {
      ...stripeEndpoint(options.apiUrl),
      maxNetworkRetries: 0,
      timeout: options.timeoutMs,
      telemetry: false,
    });
  }

  async createCheckout(request: CheckoutRequest): Promise<{ id: string; url: string }> {
    const plan = this.catalogue.get(request.planId);
    const metadata: Record<string, string> = { [METADATA.planId]: plan.id };
    if (request.email) metadata[METADATA.email] = request.email;
    if (request.organizationName) metadata[METADATA.organizationName] = request.organizationName;
    if (request.organizationId) metadata[METADATA.organizationId] = request.organizationId;
    try {
      const session = await this.stripe.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price: plan.priceId, quantity: 1 }],
        success_url: request.successUrl,
        cancel_url: request.cancelUrl,
        // Stripe refuses `customer` together with `customer_email`: an existing customer keeps its own.
        ...(request.customerId ? { customer: request.customerId } : request.email ? { customer_email: request.email } : {}),
        ...(request.organizationId ? { client_reference_id: request.organizationId } : {}),
        metadata,
        // Copied onto the subscription so later subscription events carry them too.
        subscription_data: { metadata },
      });
      if (!session.url) throw new DomainError('BILLING_REQUEST_REJECTED', 'The payment provider returned no checkout URL');
      return { id: session.id, url: session.url };
    } catch (error) {
      throw translateStripeError(error);
    }
  }

  async createPortalSession(customerId: string, returnUrl: string): Promise<{ url: string }> {
    try {
      const session = await this.stripe.billingPortal.sessions.create({ customer: customerId, return_url: returnUrl });
      return { url: session.url };
    } catch (error) {
      throw translateStripeError(error);
    }
  }

  parseWebhook(rawBody: Buffer, signatureHeader: string): BillingEvent {
    let event: Stripe.Event;
    try {
      // The injected clock decides staleness (`receivedAt`, in ms), so tests advance time instead of waiting.
      event = this.stripe.webhooks.constructEvent(rawBody, signatureHeader, this.options.webhookSecret, WEBHOOK_TOLERANCE_SECONDS, undefined, this.clock.now().getTime());
    } catch {
      // One code for a forged, stale or malformed delivery: which check failed helps only an attacker.
      throw new DomainError('WEBHOOK_SIGNATURE_INVALID', 'The webhook signature is invalid or too old');
    }
    return translateStripeEvent(event, this.catalogue);
  }
}
