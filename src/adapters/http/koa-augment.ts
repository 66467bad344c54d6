// The body parser stores the parsed JSON here; koa's own types leave it out.
declare module 'koa' {
  interface Request {
    body?: unknown;
  }
}
export {};
