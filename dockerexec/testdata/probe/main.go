// Command probe is the workload of the dockerexec tests: one static binary
// whose first argument picks what it does inside the container.
package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Println("usage: probe hello|exit N|sleep D|fill BYTES|alloc BYTES|net|ifaces|spawn N")
		os.Exit(2)
	}
	arg := ""
	if len(os.Args) > 2 {
		arg = os.Args[2]
	}
	switch os.Args[1] {
	case "hello":
		hello()
	case "exit":
		n, _ := strconv.Atoi(arg)
		fmt.Fprintln(os.Stderr, "exiting with", n)
		os.Exit(n)
	case "sleep":
		d, _ := time.ParseDuration(arg)
		fmt.Println("sleeping", d)
		time.Sleep(d)
	case "fill":
		n, _ := strconv.ParseInt(arg, 10, 64)
		if err := fill("/out/big", n); err != nil {
			fmt.Fprintln(os.Stderr, "fill:", err)
			os.Exit(3)
		}
	case "alloc":
		n, _ := strconv.ParseInt(arg, 10, 64)
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i)
		}
		fmt.Println("allocated", len(b))
	case "cat":
		b, err := os.ReadFile(arg)
		fmt.Print(string(b))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	case "ifaces":
		entries, _ := os.ReadDir("/sys/class/net")
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		fmt.Println("ifaces=" + strings.Join(names, ","))
	case "spawn":
		n, _ := strconv.Atoi(arg)
		started := 0
		for i := 0; i < n; i++ {
			cmd := exec.Command("/probe", "sleep", "30s")
			if err := cmd.Start(); err != nil {
				fmt.Println("spawn:", err)
				break
			}
			started++
		}
		fmt.Println("started", started)
		if started < n {
			os.Exit(9)
		}
	case "net":
		// TEST-NET-1 (RFC 5737) is never routed; with the network off the
		// dial fails at once without a packet leaving.
		c, err := net.DialTimeout("tcp", "192.0.2.1:9", 2*time.Second)
		if err != nil {
			fmt.Println("dial:", err)
			os.Exit(7)
		}
		c.Close()
		fmt.Println("connected")
	default:
		fmt.Fprintln(os.Stderr, "unknown command", os.Args[1])
		os.Exit(2)
	}
}

func hello() {
	fmt.Println("hello from bonfire")
	fmt.Fprintln(os.Stderr, "a line on stderr")
	fmt.Println("seed=" + os.Getenv("BONFIRE_SEED") + " greeting=" + os.Getenv("GREETING"))
	fmt.Printf("uid=%d gid=%d home=%s\n", os.Getuid(), os.Getgid(), os.Getenv("HOME"))
	status, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(l, "CapEff:") || strings.HasPrefix(l, "NoNewPrivs:") {
			fmt.Println(strings.Join(strings.Fields(l), "="))
		}
	}
	fmt.Println("root=" + tryWrite("/etc-probe"))
	fmt.Println("input=" + tryWrite("/data/probe"))
	fmt.Println("tmp=" + tryWrite("/tmp/probe"))
	in, err := os.ReadFile("/data/in.txt")
	if err != nil {
		fmt.Fprintln(os.Stderr, "reading input:", err)
		os.Exit(4)
	}
	if err := os.WriteFile("/out/result.txt", append([]byte("got: "), in...), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "writing output:", err)
		os.Exit(5)
	}
}

func tryWrite(path string) string {
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		if strings.Contains(err.Error(), "read-only") {
			return "read-only"
		}
		return "error: " + err.Error()
	}
	return "writable"
}

func fill(path string, n int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	chunk := make([]byte, 1<<20)
	for n > 0 {
		k := min(n, int64(len(chunk)))
		if _, err := f.Write(chunk[:k]); err != nil {
			f.Close()
			return err
		}
		n -= k
	}
	return f.Close()
}
