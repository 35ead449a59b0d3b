// Package mlp is a small multi-layer perceptron for the digits examples:
// one hidden layer (ReLU or tanh), a softmax output, cross-entropy loss and
// mini-batch SGD, plus loading the digits CSV, a fixed train/held-out split
// and a JSON model format.
//
// It is written for reproducibility before speed, because Bonfire verifies a
// task by running it again elsewhere and comparing output digests: the same
// seed must give the same weights, bit for bit, on amd64 and inside a
// wasip1/wasm guest. Three things make that hold. Every multiply-add is
// written as float64(a*b)+c, because the Go spec lets a compiler fuse a*b+c
// into one FMA instruction on some targets and not others; an explicit
// conversion forbids it. exp, log and tanh are computed here (detmath.go)
// rather than by package math, whose amd64 exp is assembly that may use FMA
// depending on the CPU while wasm uses the pure-Go version. And randomness
// comes only from math/rand/v2's PCG seeded from a uint64, drawn as uniform
// floats (NormFloat64 compares against math.Exp, so it could differ).
package mlp
