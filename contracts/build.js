#!/usr/bin/env node
// Compiles every contract under src/ with the solc pinned in package-lock.json
// and writes one artifact per contract to build/<Name>.json (or to the
// directory given as the first argument). Output is deterministic: the same
// sources and compiler give byte-identical files, which the Go staleness test
// relies on.
'use strict';

const fs = require('fs');
const path = require('path');
const solc = require('solc');

const root = __dirname;
const srcDir = path.join(root, 'src');
const outDir = path.resolve(process.argv[2] || path.join(root, 'build'));

// Pinned here rather than left to solc's default so that a compiler bump does
// not silently change the target fork. Cancun is supported by every chain we
// plan to deploy on and by go-ethereum's simulated backend.
const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
};

function listSol(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.sol')).sort();
}

function findImports(importPath) {
  // Only the pinned OpenZeppelin package may be imported from outside src/.
  const candidates = [path.join(root, 'node_modules', importPath), path.join(root, importPath)];
  for (const p of candidates) {
    if (fs.existsSync(p)) return { contents: fs.readFileSync(p, 'utf8') };
  }
  return { error: `import not found: ${importPath} (run npm ci in contracts/)` };
}

function main() {
  const sources = {};
  for (const f of listSol(srcDir)) {
    sources[`src/${f}`] = { content: fs.readFileSync(path.join(srcDir, f), 'utf8') };
  }
  const input = { language: 'Solidity', sources, settings };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));

  let failed = false;
  for (const e of output.errors || []) {
    if (e.severity === 'error') failed = true;
    process.stderr.write(e.formattedMessage || e.message);
  }
  if (failed) process.exit(1);

  fs.mkdirSync(outDir, { recursive: true });
  const version = solc.version();
  for (const sourceName of Object.keys(sources)) {
    const contracts = output.contracts[sourceName] || {};
    for (const name of Object.keys(contracts).sort()) {
      const c = contracts[name];
      const artifact = {
        contractName: name,
        sourceName,
        compiler: { name: 'solc', version, settings: { optimizer: settings.optimizer, evmVersion: settings.evmVersion } },
        abi: c.abi,
        bin: c.evm.bytecode.object,
      };
      const file = path.join(outDir, `${name}.json`);
      fs.writeFileSync(file, JSON.stringify(artifact, null, 2) + '\n');
      process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
    }
  }
}

main();
