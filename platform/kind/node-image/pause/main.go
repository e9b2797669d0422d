// pause is the sandbox process of every pod (what registry.k8s.io/pause does): it holds the pod's
// namespaces, reaps the children it inherits as the pod's PID 1, and exits on SIGINT or SIGTERM.
// Kubernetes' own pause is C built by its release tooling, which cannot be fetched here.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for sig := range signals {
		if sig != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
