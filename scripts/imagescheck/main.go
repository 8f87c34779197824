// Command imagescheck lists, for each image devstack pins, the newest stable tag of the
// pin's family in its registry, and flags stale pins. It is `make images-check`: its
// own module, so that devstack's binary never links go-containerregistry.
//
// Exit status: 0 when no pin is stale (a later minor or major is listed, not failed:
// moving there is a decision, often with data to migrate); 1 when a pin is stale (a
// later build of its own release line exists: v3.5.5 beside a pinned v3.5.0, a later
// MinIO RELEASE), which means missed fixes; 2 when a registry could not be asked.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"text/tabwriter"
	"time"

	// config adds the built-ins written as data (services/builtin) to the catalog.
	_ "github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/services"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("imagescheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	timeout := fs.Duration("timeout", 30*time.Second, "how long each registry may take to list a repository's tags")
	asJSON := fs.Bool("json", false, "print the rows as JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var pins []Pin
	for _, s := range services.All() {
		pins = append(pins, Pin{Service: s.Name, Image: s.Image})
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rows := Check(ctx, pins, RemoteList, *timeout)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rows)
	} else {
		render(stdout, rows)
	}
	return exitCode(rows, stderr)
}

func render(w io.Writer, rows []Row) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SERVICE\tIMAGE\tPINNED\tNEWEST OF ITS LINE\tNEWEST OF ITS FAMILY\tSTATUS")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Service, r.Image, dash(r.Pinned), dash(r.Line), dash(r.Newest), r.Status)
	}
	tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func exitCode(rows []Row, stderr io.Writer) int {
	code := 0
	seen := map[string]bool{}
	for _, r := range rows {
		switch r.Status {
		case Failed:
			code = 2
			if !seen[r.Error] {
				seen[r.Error] = true
				fmt.Fprintln(stderr, "images-check:", r.Error)
			}
		case Stale:
			if code == 0 {
				code = 1
			}
		}
	}
	switch code {
	case 2:
		fmt.Fprintln(stderr, "images-check: some registries could not be asked; run it where they answer")
	case 1:
		fmt.Fprintln(stderr, "images-check: stale pins (above): read the release notes, then move the pin in services/NAME.go and say why there")
	}
	return code
}
