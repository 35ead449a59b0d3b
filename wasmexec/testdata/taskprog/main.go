// Command taskprog is the guest program of wasmexec's tests, built for
// GOOS=wasip1 GOARCH=wasm. Its arguments are a sequence of commands, each
// with a fixed number of arguments, run in order; for example
//
//	taskprog write /out/a 10 list /out exit 3
package main

import (
	crand "crypto/rand"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"syscall"
	"time"
	"unsafe"
)

var retained [][]byte

func main() {
	args := os.Args[1:]
	for len(args) > 0 {
		cmd := args[0]
		args = args[1:]
		need := map[string]int{
			"noop": 0, "exit": 1, "panic": 0, "trap": 0, "loop": 0, "spin": 1,
			"alloc": 1, "flood": 2, "write": 2, "seekwrite": 2, "copy": 2,
			"open": 1, "create": 1, "symlink": 2, "entropy": 1, "list": 1,
			"args": 0, "touch": 2, "sleep": 1,
		}[cmd]
		if len(args) < need {
			fmt.Fprintf(os.Stderr, "%s needs %d arguments\n", cmd, need)
			os.Exit(100)
		}
		run(cmd, args[:need])
		args = args[need:]
	}
}

func run(cmd string, a []string) {
	switch cmd {
	case "noop":
	case "exit":
		os.Exit(atoi(a[0]))
	case "panic":
		panic("boom")
	case "trap":
		// A load far past the end of linear memory: a real WebAssembly trap
		// (Go checks nil pointers itself, but not addresses).
		addr := uintptr(0xfffffff0) - uintptr(len(os.Args))
		fmt.Println(*(*byte)(unsafe.Pointer(addr)))
	case "loop":
		fmt.Println("looping")
		for {
		}
	case "spin":
		x := uint64(1)
		for i := 0; i < atoi(a[0]); i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
		fmt.Println("spun", x)
	case "alloc":
		for mib := 0; mib < atoi(a[0]); mib++ {
			b := make([]byte, 1<<20)
			b[0] = 1
			retained = append(retained, b)
		}
		fmt.Println("allocated", a[0], "MiB")
	case "flood":
		stream := os.Stdout
		if a[0] == "stderr" {
			stream = os.Stderr
		}
		chunk := make([]byte, 4096)
		for i := range chunk {
			chunk[i] = 'x'
		}
		for left := atoi(a[1]); left > 0; left -= len(chunk) {
			if _, err := stream.Write(chunk[:min(left, len(chunk))]); err != nil {
				fail(err)
			}
		}
	case "write":
		b := make([]byte, atoi(a[1]))
		for i := range b {
			b[i] = byte(i)
		}
		must(os.WriteFile(a[0], b, 0o644))
	case "seekwrite":
		f, err := os.Create(a[0])
		must(err)
		_, err = f.WriteAt([]byte{1}, int64(atoi(a[1])))
		must(err)
		must(f.Close())
	case "copy":
		b, err := os.ReadFile(a[0])
		must(err)
		must(os.WriteFile(a[1], b, 0o644))
	case "open":
		if b, err := os.ReadFile(a[0]); err != nil {
			fmt.Println("open failed:", err)
		} else {
			fmt.Printf("opened %q\n", b)
		}
	case "create":
		if err := os.WriteFile(a[0], []byte("x"), 0o644); err != nil {
			fmt.Println("create failed:", err)
		} else {
			fmt.Println("created")
		}
	case "symlink":
		if err := os.Symlink(a[0], a[1]); err != nil {
			fmt.Println("symlink failed:", err)
		} else {
			fmt.Println("symlinked")
		}
	case "entropy":
		var b [8]byte
		_, err := crand.Read(b[:])
		must(err)
		report := fmt.Sprintf("time %d\ncrypto/rand %d\nmath/rand %d\n",
			time.Now().UnixNano(), binary.LittleEndian.Uint64(b[:]), rand.Uint64())
		fmt.Print(report)
		if a[0] != "-" {
			must(os.WriteFile(a[0], []byte(report), 0o644))
		}
	case "list":
		f, err := os.Open(a[0])
		must(err)
		entries, err := f.ReadDir(-1) // unlike os.ReadDir, does not sort
		must(err)
		for _, e := range entries {
			info, err := e.Info()
			must(err)
			st := info.Sys().(*syscall.Stat_t)
			fmt.Printf("%s size=%d dir=%v mtime=%d atime=%d ctime=%d ino=%d dev=%d nlink=%d\n",
				e.Name(), info.Size(), e.IsDir(), info.ModTime().UnixNano(),
				st.Atime, st.Ctime, st.Ino, st.Dev, st.Nlink)
		}
	case "touch":
		// Creates n empty files in reverse name order, names long enough
		// that listing them takes several fd_readdir calls.
		must(os.MkdirAll(a[0], 0o755))
		n := atoi(a[1])
		for i := n - 1; i >= 0; i-- {
			name := fmt.Sprintf("%s/file-%04d-with-a-long-name-so-listings-need-several-reads", a[0], i)
			must(os.WriteFile(name, nil, 0o644))
		}
	case "sleep":
		d, err := time.ParseDuration(a[0])
		must(err)
		fmt.Println("sleeping")
		time.Sleep(d)
		fmt.Println("slept")
	case "args":
		fmt.Printf("args %q\n", os.Args)
		fmt.Printf("env %q\n", os.Environ())
	default:
		fmt.Fprintln(os.Stderr, "unknown command", cmd)
		os.Exit(100)
	}
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	must(err)
	return n
}

func must(err error) {
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "taskprog:", err)
	os.Exit(101)
}
