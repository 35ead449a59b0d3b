// Package provider is the daemon a household or lab runs to lend its
// machine. It registers its hardware and price, pulls tasks when it has
// room, runs them in an executor, uploads outputs, signs each result and
// reports it until the market acknowledges it. In idle mode it hands tasks
// back as soon as the machine's owner needs the CPU. The market pays with
// the replies to those reports: each carries the cumulative vouchers of the
// job owners whose results it covered, handed to Config.Vouchers (a refused
// voucher is logged and never stops the provider).
package provider
