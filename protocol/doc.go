// Package protocol defines the messages the market and providers exchange
// over NATS, the signed Envelope that carries them, and the replay window
// that rejects messages seen before.
package protocol
