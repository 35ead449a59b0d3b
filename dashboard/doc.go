// Package dashboard is the market's web dashboard: server-rendered pages
// (html/template, embedded) over the core service interfaces, charts drawn
// as inline SVG by Go, and one small script that keeps a job's task grid
// live through server-sent events. It needs no build step and no network.
//
// Pages: an overview of the network with charts over time (an in-memory
// ring of periodic samples), the jobs list and each job's paginated task
// grid, a task's logs and outputs, a sweep's ranking, the providers, the
// money (settlement, balances, earnings and claims, read through
// MoneySource), and a submit form that resolves a spec and its uploaded
// files the way the CLI does. See README.md for the flow.
package dashboard
