import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { checkoutSession, customer, invoice, portalSession, price, subscription } from './stripe-objects.js';

/** A form body with bracket keys (`line_items[0][price]=…`) as nested objects; numeric keys stay object keys. */
export type FormValue = string | { [key: string]: FormValue };

/** Parses Stripe's `application/x-www-form-urlencoded` bodies (the SDK's encoding) with URLSearchParams. */
export function parseForm(body: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, '').split('[');
    let node = root;
    for (const [i, part] of path.entries()) {
      if (i === path.length - 1) node[part] = value;
      else {
        const next = node[part];
        node = typeof next === 'object' ? next : (node[part] = {});
      }
    }
  }
  return root;
}

const str = (v: FormValue | undefined): string | null => (typeof v === 'string' ? v : null);
const record = (v: FormValue | undefined): Record<string, string> =>
  typeof v === 'object' ? Object.fromEntries(Object.entries(v).flatMap(([k, x]) => (typeof x === 'string' ? [[k, x]] : []))) : {};

class StripeFailure extends Error {
  constructor(readonly status: number, readonly body: { type: string; message: string; code?: string; param?: string }) {
    super(body.message);
  }
}
const missing = (what: string, id: string, param?: string) =>
  new StripeFailure(400, { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}: '${id}'`, ...(param ? { param } : {}) });

export interface StripeEmulatorOptions {
  /** Prices it knows, id → monthly amount in cents. Default: the three Gatehouse plans' default price ids. */
  prices?: Record<string, number>;
  /** Unix-ms clock for `created` and signatures; pass the test's clock to keep events inside the tolerance. */
  now?: () => number;
}

/**
 * A local Stripe for tests and local runs: the real `stripe` SDK talks to it over HTTP
 * (`host: 127.0.0.1, port, protocol: 'http'`). It implements the endpoints Gatehouse uses —
 * Checkout Sessions, Billing Portal sessions, Customers, Subscriptions — with Stripe's object
 * shapes (typed as the SDK's own types in stripe-objects.ts), builds the webhook events a real
 * account would send, and signs deliveries like Stripe does. Not modelled: payment, tax,
 * pagination beyond one page, idempotency keys, expansion.
 */
export class StripeEmulator {
  readonly customers = new Map<string, Stripe.Customer>();
  readonly subscriptions = new Map<string, Stripe.Subscription>();
  readonly sessions = new Map<string, Stripe.Checkout.Session>();
  readonly portalSessions: Stripe.BillingPortal.Session[] = [];
  /** Every request, for assertions (method, path, parsed form body). */
  readonly requests: Array<{ method: string; path: string; form: Record<string, FormValue>; authorization: string | undefined }> = [];
  private readonly prices = new Map<string, Stripe.Price>();
  private readonly subscriptionData = new Map<string, Record<string, string>>();
  private faults: Array<{ status: number } | 'hang'> = [];
  private readonly hanging = new Set<ServerResponse>();
  private readonly now: () => number;
  private server = createServer((req, res) => void this.handle(req, res));
  private port = 0;

  constructor(options: StripeEmulatorOptions = {}) {
    this.now = options.now ?? Date.now;
    const prices = options.prices ?? { price_starter: 2900, price_professional: 7900, price_enterprise: 19900 };
    for (const [id, amount] of Object.entries(prices)) this.prices.set(id, price(id, amount, this.seconds()));
  }

  /** Starts listening on 127.0.0.1 on a free port. */
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Base URL for `STRIPE_API_URL`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** SDK options pointing at this emulator. */
  get sdkOptions(): { host: string; port: number; protocol: 'http'; maxNetworkRetries: 0 } {
    return { host: '127.0.0.1', port: this.port, protocol: 'http', maxNetworkRetries: 0 };
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next request answers with this Stripe status (5xx: api_error, 429: rate limit) or never answers ('hang'). */
  failNext(fault: { status: number } | 'hang'): void {
    this.faults.push(fault);
  }

  /**
   * What Stripe does when the buyer pays: a customer (unless the session had one), a subscription
   * carrying `subscription_data.metadata`, the session `complete`/`paid`; returns the
   * `checkout.session.completed` event Stripe would send.
   */
  complete(sessionId: string, buyer: { email?: string; name?: string } = {}): Stripe.Event {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no checkout session ${sessionId}`);
    const created = this.seconds();
    const email = buyer.email ?? session.customer_email ?? `buyer-${sessionId.slice(-6)}@example.test`;
    const customerId = typeof session.customer === 'string' ? session.customer : this.createCustomer(email, buyer.name ?? null).id;
    const priceId = this.sessionPrices.get(sessionId) ?? '';
    const plan = this.prices.get(priceId);
    if (!plan) throw new Error(`session ${sessionId} has no known price`);
    const sub = subscription({ id: this.id('sub'), customerId, price: plan, status: 'active', metadata: this.subscriptionData.get(sessionId) ?? {}, created });
    this.subscriptions.set(sub.id, sub);
    const done: Stripe.Checkout.Session = {
      ...session, customer: customerId, subscription: sub.id, status: 'complete', payment_status: 'paid', url: null,
      customer_details: { address: null, business_name: null, email, individual_name: null, name: buyer.name ?? null, phone: null, tax_exempt: 'none', tax_ids: [] },
    };
    this.sessions.set(sessionId, done);
    return this.event({ type: 'checkout.session.completed', data: { object: done } });
  }

  /** `invoice.payment_succeeded` or `invoice.payment_failed` for a subscription (subscription id under `parent`). */
  invoiceEvent(subscriptionId: string, paid: boolean): Stripe.Event {
    const sub = this.subscriptions.get(subscriptionId);
    if (!sub) throw new Error(`no subscription ${subscriptionId}`);
    const customerId = typeof sub.customer === 'string' ? sub.customer : sub.customer.id;
    const object = invoice({ id: this.id('in'), customerId, subscriptionId, amount: sub.items.data[0]?.price.unit_amount ?? 0, paid, created: this.seconds() });
    return paid ? this.event({ type: 'invoice.payment_succeeded', data: { object } }) : this.event({ type: 'invoice.payment_failed', data: { object } });
  }

  /** Changes a subscription (status, price) and returns `customer.subscription.updated`. */
  updateSubscription(subscriptionId: string, change: { status?: Stripe.Subscription.Status; priceId?: string }): Stripe.Event {
    const sub = this.subscriptions.get(subscriptionId);
    if (!sub) throw new Error(`no subscription ${subscriptionId}`);
    const newPrice = change.priceId ? this.prices.get(change.priceId) : undefined;
    if (change.priceId && !newPrice) throw new Error(`unknown price ${change.priceId}`);
    const customerId = typeof sub.customer === 'string' ? sub.customer : sub.customer.id;
    const next = subscription({ id: sub.id, customerId, price: newPrice ?? (sub.items.data[0]?.price as Stripe.Price), status: change.status ?? sub.status, metadata: sub.metadata, created: sub.created });
    this.subscriptions.set(sub.id, next);
    return this.event({ type: 'customer.subscription.updated', data: { object: next, previous_attributes: { status: sub.status } } });
  }

  /** Cancels a subscription now and returns `customer.subscription.deleted`. */
  deleteSubscription(subscriptionId: string): Stripe.Event {
    const sub = this.subscriptions.get(subscriptionId);
    if (!sub) throw new Error(`no subscription ${subscriptionId}`);
    const ended: Stripe.Subscription = { ...sub, status: 'canceled', canceled_at: this.seconds(), ended_at: this.seconds() };
    this.subscriptions.set(sub.id, ended);
    return this.event({ type: 'customer.subscription.deleted', data: { object: ended } });
  }

  /** An event Gatehouse does not act on (`customer.created`). */
  otherEvent(): Stripe.Event {
    return this.event({ type: 'customer.created', data: { object: customer({ id: this.id('cus'), email: null, name: null, created: this.seconds() }) } });
  }

  /**
   * A delivery as Stripe sends it: the JSON body and its `Stripe-Signature` header, signed with
   * `generateTestHeaderString` at `timestampMs` (default: the emulator's clock).
   */
  signedDelivery(event: Stripe.Event, secret: string, timestampMs = this.now()): { body: string; signature: string } {
    const body = JSON.stringify(event, null, 2);
    return { body, signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: Math.floor(timestampMs / 1000) }) };
  }

  private readonly sessionPrices = new Map<string, string>();

  private event(payload: Pick<Stripe.Event, 'type' | 'data'>): Stripe.Event {
    return { id: this.id('evt'), object: 'event', api_version: Stripe.API_VERSION, created: this.seconds(), livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, ...payload } as Stripe.Event;
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  private id(prefix: string): string {
    return `${prefix}_${prefix === 'cs' ? 'test_' : ''}${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
  }

  private createCustomer(email: string | null, name: string | null, metadata: Record<string, string> = {}): Stripe.Customer {
    const created = { ...customer({ id: this.id('cus'), email, name, created: this.seconds() }), metadata };
    this.customers.set(created.id, created);
    return created;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.url);
    const form = parseForm(req.method === 'GET' ? url.search.slice(1) : Buffer.concat(chunks).toString('utf8'));
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, form, authorization: req.headers.authorization });
    const fault = this.faults.shift();
    if (fault === 'hang') {
      this.hanging.add(res);
      return;
    }
    try {
      if (fault) throw new StripeFailure(fault.status, { type: fault.status === 429 ? 'rate_limit_error' : fault.status >= 500 ? 'api_error' : 'invalid_request_error', message: 'Emulated failure' });
      if (!/^Bearer sk_(test|live)_\S+$/.test(req.headers.authorization ?? '')) {
        throw new StripeFailure(401, { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_****' });
      }
      this.reply(res, 200, this.route(req.method ?? 'GET', url.pathname, form));
    } catch (error) {
      if (!(error instanceof StripeFailure)) throw error;
      this.reply(res, error.status, { error: error.body });
    }
  }

  private route(method: string, path: string, form: Record<string, FormValue>): unknown {
    const [, , resource, id] = path.split('/');
    if (method === 'POST' && path === '/v1/checkout/sessions') return this.createCheckoutSession(form);
    if (method === 'GET' && /^\/v1\/checkout\/sessions\/[^/]+$/.test(path)) {
      const sessionId = path.split('/')[4] ?? '';
      return this.sessions.get(sessionId) ?? this.fail(missing('checkout.session', sessionId));
    }
    if (method === 'POST' && path === '/v1/billing_portal/sessions') {
      const customerId = str(form['customer']) ?? '';
      if (!this.customers.has(customerId)) this.fail(missing('customer', customerId, 'customer'));
      const session = portalSession({ id: this.id('bps'), customerId, returnUrl: str(form['return_url']), url: `https://billing.stripe.com/p/session/test_${randomBytes(9).toString('hex')}`, created: this.seconds() });
      this.portalSessions.push(session);
      return session;
    }
    if (resource === 'customers' && method === 'POST' && id === undefined) return this.createCustomer(str(form['email']), str(form['name']), record(form['metadata']));
    if (resource === 'customers' && method === 'GET' && id === undefined) {
      const email = str(form['email']);
      const data = [...this.customers.values()].filter((c) => email === null || c.email === email);
      return { object: 'list', data, has_more: false, url: '/v1/customers' };
    }
    if (resource === 'customers' && method === 'GET' && id) return this.customers.get(id) ?? this.fail(missing('customer', id));
    if (resource === 'subscriptions' && method === 'GET' && id) return this.subscriptions.get(id) ?? this.fail(missing('subscription', id));
    return this.fail(new StripeFailure(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}).` }));
  }

  private createCheckoutSession(form: Record<string, FormValue>): Stripe.Checkout.Session {
    const invalid = (message: string, param: string) => this.fail(new StripeFailure(400, { type: 'invalid_request_error', code: 'parameter_invalid', message, param }));
    if (str(form['mode']) !== 'subscription') invalid('This emulator supports mode=subscription only.', 'mode');
    const items = typeof form['line_items'] === 'object' ? Object.values(form['line_items']) : [];
    const first = items[0];
    const priceId = typeof first === 'object' ? str(first['price']) : null;
    if (items.length !== 1 || !priceId) invalid('Pass exactly one line item with a price.', 'line_items');
    const plan = this.prices.get(priceId ?? '');
    if (!plan) this.fail(missing('price', priceId ?? '', 'line_items[0][price]'));
    const successUrl = str(form['success_url']);
    if (!successUrl) invalid('Missing required param: success_url.', 'success_url');
    const customerId = str(form['customer']);
    const customerEmail = str(form['customer_email']);
    if (customerId && customerEmail) invalid('You may only specify one of these parameters: customer, customer_email.', 'customer_email');
    if (customerId && !this.customers.has(customerId)) this.fail(missing('customer', customerId, 'customer'));
    const id = this.id('cs');
    const session = checkoutSession({
      id, url: `https://checkout.stripe.com/c/pay/${id}`, successUrl, cancelUrl: str(form['cancel_url']), customerId, customerEmail,
      clientReferenceId: str(form['client_reference_id']), metadata: record(form['metadata']), amount: plan?.unit_amount ?? 0, created: this.seconds(),
    });
    this.sessions.set(id, session);
    this.sessionPrices.set(id, priceId ?? '');
    const subscriptionData = form['subscription_data'];
    this.subscriptionData.set(id, typeof subscriptionData === 'object' ? record(subscriptionData['metadata']) : {});
    return session;
  }

  private fail(failure: StripeFailure): never {
    throw failure;
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${randomBytes(8).toString('hex')}`, 'stripe-version': Stripe.API_VERSION });
    res.end(JSON.stringify(body));
  }
}

/** Starts an emulator; `close()` it after the test. */
export function startStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  return new StripeEmulator(options).start();
}
