package stack

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/services/engine"
)

// StackRef is one checkout's stack, as the engine's labels tell it: found without any
// devstack.yaml, for down --project and for a down whose configuration is broken.
type StackRef struct {
	Identity string   `json:"identity"`
	Name     string   `json:"name"`
	Checkout string   `json:"checkout,omitempty"` // "" for a legacy stack no checkout adopted
	Objects  []string `json:"objects"`            // "container NAME", "volume NAME", …
}

// Legacy says an earlier devstack made it under the project's name alone.
func (s StackRef) Legacy() bool { return s.Identity == s.Name }

// Config is a configuration that acts as this stack, for Down.
func (s StackRef) Config() *config.Config {
	return &config.Config{Project: s.Name, Identity: config.Identity{ID: s.Identity, Name: s.Name, Checkout: s.Checkout, Legacy: s.Legacy()}}
}

// Whose says whose stack it is, for people: its identity and its checkout.
func (s StackRef) Whose() string {
	switch {
	case s.Checkout == "":
		// It has no identity of its own to be named by: what it holds is listed instead,
		// and up in the checkout that made it adopts it.
		return s.Identity + " (made by an earlier devstack; no checkout has adopted it: " + strings.Join(s.Objects, ", ") + ")"
	case missing(s.Checkout):
		return s.Identity + " (checkout " + s.Checkout + ", which no longer exists)"
	}
	return s.Identity + " (checkout " + s.Checkout + ")"
}

func missing(path string) bool {
	_, err := os.Stat(path)
	return os.IsNotExist(err)
}

// StacksNamed lists every stack of a project's name, or the one whose identity is name:
// one per checkout, and a legacy one made under the bare name.
func StacksNamed(ctx context.Context, eng Engine, name string) ([]StackRef, error) {
	return stacksBy(ctx, eng, engine.LabelName, engine.LabelProject, name)
}

// StacksOf lists the stacks the checkout at the real path made (one, or none).
func StacksOf(ctx context.Context, eng Engine, checkout string) ([]StackRef, error) {
	return stacksBy(ctx, eng, engine.LabelCheckout, "", checkout)
}

func stacksBy(ctx context.Context, eng Engine, label, also, value string) ([]StackRef, error) {
	if value == "" {
		return nil, nil
	}
	objs, err := eng.Labelled(ctx, label, value)
	if err != nil {
		return nil, err
	}
	if also != "" {
		more, err := eng.Labelled(ctx, also, value)
		if err != nil {
			return nil, err
		}
		objs = append(objs, more...)
	}
	byID := map[string]*StackRef{}
	for _, o := range objs {
		id := o.Labels[engine.LabelProject]
		if id == "" {
			continue
		}
		s := byID[id]
		if s == nil {
			s = &StackRef{Identity: id, Name: id}
			byID[id] = s
		}
		if n := o.Labels[engine.LabelName]; n != "" {
			s.Name = n
		}
		if c := o.Labels[engine.LabelCheckout]; c != "" {
			s.Checkout = c
		}
		if obj := o.Kind + " " + o.Name; !slices.Contains(s.Objects, obj) {
			s.Objects = append(s.Objects, obj)
		}
	}
	out := make([]StackRef, 0, len(byID))
	for _, s := range byID {
		sort.Strings(s.Objects)
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Identity < out[j].Identity })
	return out, nil
}

// AmbiguousError is a project name that several checkouts' stacks share: down acts on
// none of them until one is named by its identity.
type AmbiguousError struct {
	Name   string
	Stacks []StackRef
}

func (e *AmbiguousError) Error() string {
	var lines []string
	for _, s := range e.Stacks {
		lines = append(lines, "  "+s.Whose())
	}
	return fmt.Sprintf("project name %s is shared by %d stacks, one per checkout; nothing was taken down:\n%s",
		e.Name, len(e.Stacks), strings.Join(lines, "\n"))
}

// Hint says how to name one: each checkout's own stack stays its own.
func (e *AmbiguousError) Hint() string {
	return "name the one you mean by its identity (--project IDENTITY, from the list above), or run devstack down in its checkout; the others are left as they are"
}

// PickStack is the stack that arg names among stacks (StacksNamed's): the one whose
// identity it is, or the only one of that name. Several of that name are refused.
func PickStack(arg string, stacks []StackRef) (*StackRef, error) {
	for i, s := range stacks {
		if s.Identity == arg && !s.Legacy() {
			return &stacks[i], nil // an identity names one checkout's stack
		}
	}
	switch len(stacks) {
	case 0:
		return nil, nil
	case 1:
		return &stacks[0], nil
	}
	return nil, &AmbiguousError{Name: arg, Stacks: stacks}
}
