// Command hello is the smallest docker example: a static Go program run
// FROM scratch. It greets, lists the inputs it sees and writes
// /out/hello.txt, so a job shows logs, inputs and outputs end to end.
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

func main() {
	who := "world"
	if len(os.Args) > 1 {
		who = os.Args[1]
	}
	msg := fmt.Sprintf("hello, %s, from a container (task %s, seed %s)\n", who, os.Getenv("BONFIRE_TASK_INDEX"), os.Getenv("BONFIRE_SEED"))
	fmt.Print(msg)
	_ = filepath.WalkDir("/data", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			fmt.Println("input:", p)
		}
		return nil
	})
	if err := os.WriteFile("/out/hello.txt", []byte(msg), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "writing /out/hello.txt:", err)
		os.Exit(1)
	}
}
