// Package devchain runs a persistent development Ethereum chain inside the
// Bonfire process, for `bonfire up` and `bonfire demo`: a go-ethereum node
// with a data directory, mining a block whenever a transaction arrives, with
// Bonfire's settlement contracts deployed and chosen accounts funded.
//
// Unlike evm/simchain (go-ethereum's simulated backend, which starts from
// genesis every time and opens no port), a dev chain keeps its blocks, its
// dev key and its deployment across restarts, and serves JSON-RPC over HTTP
// on loopback so wallets and other processes can use it.
//
// # Lifecycle
//
// The first Start in an empty data directory creates a dev key, a genesis
// that funds it with a billion ether, the chain, the contracts (evm.Deploy:
// TestStablecoin as tUSD, BonfireEscrow, ProviderStake) and
// deployments.json; later starts reuse all of them. Config.Fund accounts
// receive ether for gas and tUSD once per deployment. See Layout for the
// files.
//
// Blocks are sealed by the package's own loop (not go-ethereum's dev API
// loop, which is not waited for on shutdown), stopped before the database
// closes.
//
// Every mined block is fsynced before a send through Backend returns, and
// the chain runs in archive mode with hash-based state so that a block's
// state is written with the block: a killed process (kill -9, power cut)
// restarts at the block it had reached. go-ethereum's default keeps recent
// state in memory and would roll the chain back to genesis instead.
//
// Only one process may run a data directory's chain; a second Start fails at
// once with ECodeConflict. Block timestamps follow the wall clock.
//
// # Connecting tools
//
// The chain id is 1337 unless Config.ChainID said otherwise on first start;
// the RPC URL is http://127.0.0.1:8545 unless that port was taken (Start
// then picks a free one: `bonfire up` prints RPCURL). Currency: ETH.
//
// MetaMask: Settings → Networks → Add a network manually; RPC URL as above,
// chain ID 1337, currency symbol ETH. To hold tUSD, import the token at the
// "token" address in DATADIR/deployments.json (6 decimals). To use the dev
// key itself, import DATADIR/keystore/devkey.json (a keystore v3 file, empty
// password). MetaMask caches nonces per network: after deleting a data
// directory, clear the account's activity (Settings → Advanced).
//
// cast (Foundry):
//
//	cast chain-id --rpc-url http://127.0.0.1:8545
//	cast balance 0xYourAddress --rpc-url http://127.0.0.1:8545
//	cast call $TOKEN "balanceOf(address)(uint256)" 0xYourAddress --rpc-url http://127.0.0.1:8545
//	cast send --keystore DATADIR/keystore/devkey.json --password '' \
//	    --rpc-url http://127.0.0.1:8545 0xTo --value 1ether
//
// ethers (v6):
//
//	const provider = new ethers.JsonRpcProvider("http://127.0.0.1:8545", 1337);
//	const wallet = await ethers.Wallet.fromEncryptedJson(fs.readFileSync("DATADIR/keystore/devkey.json", "utf8"), "");
//
// Other Go programs read the addresses with ReadDeployment(dataDir) and dial
// RPCURL with ethclient.Dial.
package devchain
