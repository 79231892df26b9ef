#!/usr/bin/env node
// Entry point for `npx briefbot` and `npm start`: runs the TypeScript sources through tsx,
// so there is no separate build step after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
