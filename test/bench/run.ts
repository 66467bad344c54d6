// `npm run bench`: every benchmark, one after another, printed as tables.
import { main as access } from './access-bench.js';
import { main as http } from './http-bench.js';

const only = process.argv[2];
if (!only || only === 'http') await http();
if (!only || only === 'access') await access();
process.exit(0);
