import { setFlagsFromString } from 'node:v8';

/*
 * V8's allocation-site pretenuring misjudges a request-serving process: objects of a
 * request that happen to be alive at a scavenge mark their allocation sites as
 * long-lived, after which every request allocates them straight into old space. The
 * old generation then fills with garbage at the request rate (the heap grew to
 * 200–250 MiB with 50 MiB live; each scavenge took ~11 ms instead of 0.5 ms).
 * Turned off before the server allocates anything; docs/adr/0007-runtime-memory-and-sign-in-latency.md.
 */
setFlagsFromString('--no-allocation-site-pretenuring');
