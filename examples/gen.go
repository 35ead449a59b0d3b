package examples

//go:generate bash build.sh
