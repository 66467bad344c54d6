// `npm run bench`: every benchmark, one after another, printed as tables.
import { main as access } from './access-bench.js';
import { main as billing } from './billing-bench.js';
import { main as http } from './http-bench.js';

const only = process.argv[2];
if (!only || only === 'http') await http();
if (!only || only === 'access') await access();
if (!only || only === 'billing') await billing();
// A benchmark that found wrong results (not just slow ones) sets process.exitCode.
process.exit(process.exitCode ?? 0);
