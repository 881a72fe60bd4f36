#!/usr/bin/env node
// Compiles every module's Solidity sources into ABI + bytecode JSON resources that are committed,
// so that `mvn install` needs only a JDK. With --check, writes nothing and exits 1 if any committed
// artifact differs from what the pinned compiler produces now (drift), naming each file.
//
// The source folders, output folders and compiler settings live in package.json under "chainseal".
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

let solc;
try {
  solc = require('solc');
} catch (e) {
  console.error('solc is not installed: run `npm install` at the repository root first.');
  process.exit(2);
}

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const settings = pkg.chainseal.solidity;

function findImports(importPath) {
  const candidates = [path.join(root, 'node_modules', importPath), path.join(root, importPath)];
  for (const candidate of candidates) {
    if (fs.existsSync(candidate)) {
      return { contents: fs.readFileSync(candidate, 'utf8') };
    }
  }
  return { error: `import not found: ${importPath}` };
}

function compileFolder(sourcesDir) {
  const absolute = path.join(root, sourcesDir);
  if (!fs.existsSync(absolute)) return new Map();
  const files = fs.readdirSync(absolute).filter((f) => f.endsWith('.sol')).sort();
  if (files.length === 0) return new Map();
  const sources = {};
  for (const file of files) {
    // Source unit names are repository-relative with forward slashes, so the metadata hash
    // embedded in the bytecode is the same on every clone.
    sources[`${sourcesDir}/${file}`] = { content: fs.readFileSync(path.join(absolute, file), 'utf8') };
  }
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      evmVersion: settings.evmVersion,
      optimizer: { enabled: true, runs: settings.optimizerRuns },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const errors = (output.errors || []).filter((e) => e.severity === 'error');
  for (const message of output.errors || []) {
    console.error(message.formattedMessage || message.message);
  }
  if (errors.length > 0) {
    throw new Error(`compilation of ${sourcesDir} failed`);
  }
  const artifacts = new Map();
  for (const sourceName of Object.keys(sources)) {
    const contracts = output.contracts[sourceName] || {};
    for (const contractName of Object.keys(contracts).sort()) {
      const contract = contracts[contractName];
      const artifact = {
        _generated: 'by scripts/compile-contracts.mjs from the source below; do not edit, run `npm run compile-contracts`',
        contractName,
        sourceName,
        sourceSha256: createHash('sha256').update(sources[sourceName].content).digest('hex'),
        compiler: {
          name: 'solc',
          version: solc.version(),
          evmVersion: settings.evmVersion,
          optimizer: { enabled: true, runs: settings.optimizerRuns },
        },
        abi: contract.abi,
        bytecode: '0x' + contract.evm.bytecode.object,
        deployedBytecode: '0x' + contract.evm.deployedBytecode.object,
      };
      artifacts.set(`${contractName}.json`, JSON.stringify(artifact, null, 2) + '\n');
    }
  }
  return artifacts;
}

const problems = [];
let written = 0;
for (const { sources, out } of settings.contracts) {
  const artifacts = compileFolder(sources);
  const outDir = path.join(root, out);
  const existing = fs.existsSync(outDir)
    ? fs.readdirSync(outDir).filter((f) => f.endsWith('.json'))
    : [];
  for (const [file, text] of artifacts) {
    const target = path.join(outDir, file);
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null;
    if (current === text) continue;
    if (check) {
      problems.push(`${out}/${file}: ${current === null ? 'missing' : 'differs from its source'}`);
    } else {
      fs.mkdirSync(outDir, { recursive: true });
      fs.writeFileSync(target, text);
      written++;
    }
  }
  for (const file of existing) {
    if (!artifacts.has(file)) {
      if (check) {
        problems.push(`${out}/${file}: no contract of that name in ${sources}`);
      } else {
        fs.rmSync(path.join(outDir, file));
        written++;
      }
    }
  }
}

if (check) {
  if (problems.length > 0) {
    console.error('Contract artifacts drifted from their Solidity sources (run `npm run compile-contracts`):');
    for (const p of problems) console.error('  ' + p);
    process.exit(1);
  }
  console.log(`Contract artifacts match their sources (solc ${solc.version()}).`);
} else {
  console.log(`Contract artifacts up to date (solc ${solc.version()}, ${written} file(s) changed).`);
}
