// ethers-check.mjs reads a provider's settlement state from a Bonfire chain
// with ethers.js, to show that a standard Ethereum client (not Bonfire's Go
// bindings) sees the same token balance and escrow claims.
//
//   node contracts/ethers-check.mjs RPC_URL TOKEN_ADDR ESCROW_ADDR PROVIDER_ADDR
//
// Prints one JSON line:
//   {"chainId":"1337","balance":"…","symbol":"tUSD","decimals":6,
//    "claims":[{"payer":"0x…","amount":"…","txHash":"0x…"}]}
// balance and amounts are decimal strings of token base units; amount is the
// gross Claimed amount (the payee received it minus the protocol fee).
// Exits 1 with a message on stderr on any error, 2 on bad arguments.

import { Contract, JsonRpcProvider, getAddress } from "ethers";

// The ABIs are written out by hand rather than read from build/ so the check
// exercises only what any ERC-20 wallet or indexer would know.
const tokenABI = [
  "function balanceOf(address owner) view returns (uint256)",
  "function decimals() view returns (uint8)",
  "function symbol() view returns (string)",
];
const escrowABI = [
  "event Claimed(address indexed payer, address indexed payee, address signer, uint256 amount, uint256 fee, uint256 claimedTotal)",
];

// A dead or wrong RPC must not hang the caller: ethers retries network
// detection forever on its own.
const deadlineMs = 15_000;

function usage(message) {
  process.stderr.write(`ethers-check: ${message}\n` +
    "usage: node contracts/ethers-check.mjs RPC_URL TOKEN_ADDR ESCROW_ADDR PROVIDER_ADDR\n");
  process.exit(2);
}

function parseArgs(argv) {
  if (argv.length !== 4) {
    usage(`want 4 arguments, got ${argv.length}`);
  }
  const [rpcURL, ...addrs] = argv;
  if (!/^https?:\/\//.test(rpcURL)) {
    usage(`RPC_URL ${JSON.stringify(rpcURL)} is not an http(s) URL; give e.g. http://127.0.0.1:8545`);
  }
  const names = ["TOKEN_ADDR", "ESCROW_ADDR", "PROVIDER_ADDR"];
  const [token, escrow, provider] = addrs.map((a, i) => {
    try {
      return getAddress(a);
    } catch {
      usage(`${names[i]} ${JSON.stringify(a)} is not an address; give 0x and 40 hex digits`);
    }
  });
  return { rpcURL, token, escrow, provider };
}

async function check({ rpcURL, token, escrow, provider }) {
  // Probe once with the raw request so an unreachable URL fails now instead
  // of entering ethers' retry loop; then pin the network so no further
  // eth_chainId round trips are made.
  const probe = new JsonRpcProvider(rpcURL);
  let network;
  try {
    network = await probe._detectNetwork();
  } catch (err) {
    throw new Error(`cannot reach ${rpcURL}: ${err.shortMessage ?? err.message}`);
  } finally {
    probe.destroy();
  }
  const rpc = new JsonRpcProvider(rpcURL, network, { staticNetwork: network });
  try {
    for (const [name, addr] of [["TOKEN_ADDR", token], ["ESCROW_ADDR", escrow]]) {
      if ((await rpc.getCode(addr)) === "0x") {
        throw new Error(`${name} ${addr} has no contract on chain ${network.chainId}`);
      }
    }
    const erc20 = new Contract(token, tokenABI, rpc);
    const [balance, decimals, symbol] = await Promise.all([
      erc20.balanceOf(provider), erc20.decimals(), erc20.symbol(),
    ]);
    const escrowContract = new Contract(escrow, escrowABI, rpc);
    const events = await escrowContract.queryFilter(escrowContract.filters.Claimed(null, provider), 0, "latest");
    return {
      chainId: network.chainId.toString(),
      balance: balance.toString(),
      symbol,
      decimals: Number(decimals),
      claims: events.map((e) => ({
        payer: e.args.payer,
        amount: e.args.amount.toString(),
        txHash: e.transactionHash,
      })),
    };
  } finally {
    rpc.destroy();
  }
}

const args = parseArgs(process.argv.slice(2));
const deadline = setTimeout(() => {
  process.stderr.write(`ethers-check: no answer from ${args.rpcURL} within ${deadlineMs / 1000}s\n`);
  process.exit(1);
}, deadlineMs);
try {
  const result = await check(args);
  process.stdout.write(JSON.stringify(result) + "\n");
} catch (err) {
  process.stderr.write(`ethers-check: ${err.shortMessage ?? err.message}\n`);
  process.exitCode = 1;
} finally {
  clearTimeout(deadline);
}
