// Package identity holds Bonfire's identities: secp256k1 keys whose Ethereum
// address is who a provider, a consumer or the market is. The same key later
// pays and gets paid on an EVM chain, so Bonfire keeps it in the format every
// Ethereum tool reads: a keystore v3 file encrypted with scrypt.
//
// It also signs and verifies the three things Bonfire authenticates:
// task results (SignResult, VerifyResult), consumers' HTTP requests
// (SignRequest, RequestVerifier) and, through package protocol, every
// message on the bus. Each signature is a 65-byte [R || S || V] over the
// Keccak-256 of a domain-separated message ("bonfire/v1 …\n"), so a
// signature made for one purpose can never be presented as another.
//
// The keystore passphrase comes from the BONFIRE_PASSPHRASE environment
// variable (see Passphrase). An empty passphrase is accepted so that local
// development needs no setup; anyone who can read such a key file owns the
// identity, so set a passphrase on any machine that holds money.
package identity
