export { createBuiltinEngine } from './builtin-engine.ts';
