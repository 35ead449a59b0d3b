// Package tokens is the text-tokens example's logic: split text into
// lower-case word tokens, count them, and fold them into a fixed-size hashed
// bag-of-words embedding. Everything here is integer arithmetic plus one
// correctly rounded square root, so a shard gives the same bytes natively
// and inside a wasip1/wasm guest.
package tokens
