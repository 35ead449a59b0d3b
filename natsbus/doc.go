// Package natsbus runs the embedded NATS server the market uses by default
// and opens the client connections that market and providers talk through.
// Providers only dial out, so a provider behind a home router works; pass
// an external cluster's URL instead of embedding to scale the bus out.
package natsbus
