import type { BillingEvent, PlanId } from '../../domain/billing/billing-event.js';

/** A checkout the person completes on the provider's page. */
export interface CheckoutRequest {
  planId: PlanId;
  email: string | null;
  organizationName: string | null;
  /** Upgrading an existing organization (signed-in admin) instead of buying a new one. */
  organizationId: string | null;
  customerId: string | null;
  successUrl: string;
  cancelUrl: string;
}

/**
 * The payment provider (Stripe). Adapters translate vendor errors into DomainError
 * codes and vendor payloads into BillingEvent; nothing vendor-specific crosses here.
 */
export interface BillingGateway {
  /** Creates a hosted checkout session; returns its id and the URL to send the person to. */
  createCheckout(request: CheckoutRequest): Promise<{ id: string; url: string }>;
  /** A customer-portal URL for managing the subscription, returning to `returnUrl`. */
  createPortalSession(customerId: string, returnUrl: string): Promise<{ url: string }>;
  /**
   * Verifies a webhook's signature over the exact raw body (and its timestamp tolerance)
   * and translates the event. WEBHOOK_SIGNATURE_INVALID when verification fails.
   */
  parseWebhook(rawBody: Buffer, signatureHeader: string): BillingEvent;
}
