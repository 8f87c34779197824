package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Status is what the check found for one pin.
type Status string

const (
	Current  Status = "current"   // no newer stable tag in its family
	Stale    Status = "stale"     // a later build of the pinned release line: fixes the pin misses
	NewMinor Status = "new minor" // a later minor of the same major: a decision, listed
	NewMajor Status = "new major" // a later major: a decision (data to migrate), listed
	Unknown  Status = "unknown"   // the pin has no shape a version compares in ("latest")
	Failed   Status = "failed"    // the registry did not answer
)

// Pin is one image devstack pins.
type Pin struct {
	Service string
	Image   string
}

// Row is the check of one pin.
type Row struct {
	Service string `json:"service"`
	Image   string `json:"image"`
	Pinned  string `json:"pinned"`
	Newest  string `json:"newest,omitempty"` // newest stable tag of the family
	Line    string `json:"line,omitempty"`   // newest stable tag of the pinned release line
	Status  Status `json:"status"`
	Error   string `json:"error,omitempty"`
}

// Lister lists a repository's tags.
type Lister func(ctx context.Context, repo name.Repository) ([]string, error)

// RemoteList asks the repository's registry for its tags with the Docker Registry HTTP
// API v2 (GET /v2/NAME/tags/list, paginated), anonymously or with the credentials
// docker login left in ~/.docker/config.json (Docker Hub limits anonymous requests).
func RemoteList(ctx context.Context, repo name.Repository) ([]string, error) {
	return remote.List(repo, remote.WithContext(ctx), remote.WithAuthFromKeychain(authn.DefaultKeychain))
}

// Check lists each pinned repository's tags once (repositories in parallel, each within
// timeout) and compares every pin with the newest stable tag of its family.
func Check(ctx context.Context, pins []Pin, list Lister, timeout time.Duration) []Row {
	type answer struct {
		tags []string
		err  error
	}
	repos := map[string]name.Repository{}
	rows := make([]Row, len(pins))
	refs := make([]name.Tag, len(pins))
	for i, p := range pins {
		rows[i] = Row{Service: p.Service, Image: p.Image}
		ref, err := name.NewTag(p.Image)
		if err != nil {
			rows[i].Status, rows[i].Error = Failed, err.Error()
			continue
		}
		refs[i], rows[i].Pinned = ref, ref.TagStr()
		repos[ref.Repository.Name()] = ref.Repository
	}
	answers := map[string]answer{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for key, repo := range repos {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			tags, err := list(ctx, repo)
			if err != nil {
				err = explain(repo, timeout, err)
			}
			mu.Lock()
			answers[key] = answer{tags, err}
			mu.Unlock()
		})
	}
	wg.Wait()
	for i := range rows {
		if rows[i].Status == Failed {
			continue
		}
		a := answers[refs[i].Repository.Name()]
		if a.err != nil {
			rows[i].Status, rows[i].Error = Failed, a.err.Error()
			continue
		}
		all, line, ok := newest(rows[i].Pinned, a.tags)
		if !ok {
			rows[i].Status = Unknown
			continue
		}
		rows[i].Newest, rows[i].Line = all.raw, line.raw
		pin, _ := parseTag(rows[i].Pinned)
		switch {
		case line.raw != pin.raw:
			rows[i].Status = Stale
		case all.raw == pin.raw:
			rows[i].Status = Current
		case all.nums[0] != pin.nums[0] && pin.fam.prefix != "RELEASE.":
			rows[i].Status = NewMajor
		default:
			rows[i].Status = NewMinor
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Service < rows[j].Service })
	return rows
}

// explain names the registry and says why it did not answer, the way a user can act on.
func explain(repo name.Repository, timeout time.Duration, err error) error {
	reg := repo.RegistryStr()
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("registry %s did not answer within %s (no registry access from this machine?)", reg, timeout)
	case errors.As(err, &dns):
		return fmt.Errorf("registry %s: cannot resolve %s (no DNS or no network on this machine?): %w", reg, dns.Name, err)
	case errors.As(err, &op):
		return fmt.Errorf("registry %s: cannot connect (no registry access from this machine?): %w", reg, err)
	}
	return fmt.Errorf("registry %s, repository %s: %w", reg, repo.RepositoryStr(), err)
}
