package stack

import (
	"context"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/ports"
	"github.com/devstack-dev/devstack/services/engine"
)

// checkoutPlan is the plan of project shop (postgres, redis, mailpit) in the checkout at
// path, with fixedSecrets.
func checkoutPlan(t *testing.T, path string) *plan.Plan {
	t.Helper()
	cfg := configtest.Load(t, "project: shop\noffset: 10000\nservices:\n  postgres: {image: \"pg17\"}\n  redis: {image: \"redis:7\"}\n  mailpit: {image: \"mailpit\"}\n")
	cfg.Identity = config.DeriveIdentity(cfg.Project, path)
	return planFor(t, cfg)
}

// A legacy stack (named and labelled by the bare project name, without a checkout) is
// adopted only by the checkout whose credentials its volumes recorded; any other is
// refused with the reason and keeps its own identity; nothing is adopted twice.
func TestAdoptLegacyStack(t *testing.T) {
	const mine, other = "/work/shop", "/work/shop-copy"
	pl := checkoutPlan(t, mine)
	creds := map[string]string{}
	for _, u := range pl.Units {
		creds[u.Name()] = u.Credentials
	}
	if creds["postgres"] == "" || creds["redis"] == "" || creds["mailpit"] != "" {
		t.Fatalf("credentials %v: postgres and redis get some, mailpit none", creds)
	}
	legacyVolume := func(f *enginetest.Fake, service, credentials string) {
		l := labels("shop", service)
		if credentials != "" {
			l[engine.LabelCredentials] = credentials
		}
		name := plan.VolumeName("shop", service)
		f.VolumeSet[name] = &engine.Volume{Name: name, Labels: l}
	}
	tests := []struct {
		name       string
		setup      func(f *enginetest.Fake)
		wantLegacy bool
		wantReason string // in the refusal; "" for none
	}{
		{name: "no legacy stack: the derived identity, nothing said", setup: func(*enginetest.Fake) {}},
		{name: "every recorded credential matches: adopted",
			setup: func(f *enginetest.Fake) {
				legacyVolume(f, "postgres", creds["postgres"])
				legacyVolume(f, "redis", creds["redis"])
				legacyVolume(f, "mailpit", "")
			}, wantLegacy: true},
		{name: "partial: one service's volume, matching; the rest made under the old names later",
			setup: func(f *enginetest.Fake) { legacyVolume(f, "redis", creds["redis"]) }, wantLegacy: true},
		{name: "one matches, one unlabelled (made before the label): adopted",
			setup: func(f *enginetest.Fake) {
				legacyVolume(f, "postgres", creds["postgres"])
				legacyVolume(f, "redis", "")
			}, wantLegacy: true},
		{name: "one credential differs: refused, though another matches",
			setup: func(f *enginetest.Fake) {
				legacyVolume(f, "postgres", creds["postgres"])
				legacyVolume(f, "redis", "0123456789abcdef")
			}, wantReason: "volume shop-redis-data was initialised with other credentials"},
		{name: "no credentials recorded at all: nobody can prove it theirs",
			setup: func(f *enginetest.Fake) {
				legacyVolume(f, "postgres", "")
				legacyVolume(f, "mailpit", "")
			}, wantReason: "recorded no credentials"},
		{name: "another checkout adopted it first",
			setup: func(f *enginetest.Fake) {
				legacyVolume(f, "postgres", creds["postgres"])
				f.VolumeSet[OwnerVolume("shop")] = &engine.Volume{Name: OwnerVolume("shop"),
					Labels: map[string]string{engine.LabelProject: "shop", engine.LabelCheckout: other}}
			}, wantReason: "the checkout at " + other + " adopted it"},
		{name: "this checkout has data of its own already",
			setup: func(f *enginetest.Fake) {
				legacyVolume(f, "postgres", creds["postgres"])
				own := plan.Labels(pl.Identity, "redis")
				f.VolumeSet[plan.VolumeName(pl.Identity.ID, "redis")] = &engine.Volume{Labels: own}
			}, wantReason: "already has data of its own"},
		{name: "a volume of that name made since, by another checkout, is no legacy stack",
			setup: func(f *enginetest.Fake) {
				l := labels("shop", "postgres")
				l[engine.LabelCheckout] = other
				l[engine.LabelCredentials] = creds["postgres"]
				f.VolumeSet["shop-postgres-data"] = &engine.Volume{Name: "shop-postgres-data", Labels: l}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := enginetest.New()
			tt.setup(f)
			id, refusal, err := Adopt(context.Background(), f, pl)
			if err != nil {
				t.Fatal(err)
			}
			if id.Legacy != tt.wantLegacy || id.Checkout != mine || id.Name != "shop" {
				t.Fatalf("identity %+v, want legacy %v", id, tt.wantLegacy)
			}
			if want := pl.Identity.ID; !tt.wantLegacy && id.ID != want {
				t.Fatalf("identity %q, want the derived %q", id.ID, want)
			}
			switch {
			case tt.wantReason == "" && refusal != nil:
				t.Fatalf("refused: %s", refusal)
			case tt.wantReason != "" && (refusal == nil || !strings.Contains(refusal.String(), tt.wantReason)):
				t.Fatalf("refusal %v, want it to say %q", refusal, tt.wantReason)
			}
			owner, _ := AdoptedBy(context.Background(), f, "shop")
			if tt.wantLegacy != (owner == mine) {
				t.Fatalf("the engine records %q as the adopter", owner)
			}
			// Once adopted, every command of this checkout acts as the legacy stack, and
			// a copy of it (same secrets, another path) is refused.
			again, err := Resolve(context.Background(), f, pl.Config)
			if err != nil || again.Legacy != tt.wantLegacy {
				t.Fatalf("resolve after: %+v %v", again, err)
			}
			if tt.wantLegacy {
				copyID, refusal, err := Adopt(context.Background(), f, checkoutPlan(t, other))
				if err != nil || copyID.Legacy || refusal == nil || !strings.Contains(refusal.String(), "the checkout at "+mine) {
					t.Fatalf("a copy: %+v, %v, %v", copyID, refusal, err)
				}
			}
		})
	}
}

// Two clones of one repository (same project name) side by side on one engine: each has
// its own containers, volumes and network, and one's down --volumes leaves the other's.
func TestTwoCheckoutsKeepTheirStacks(t *testing.T) {
	f := enginetest.New()
	f.LocalImage("pg17", map[string]string{"PG_MAJOR": "17"})
	f.LocalImage("redis:7", nil)
	f.LocalImage("mailpit", nil)
	a, b := checkoutPlan(t, "/work/shop"), checkoutPlan(t, "/work/shop-2")
	b.Config.Offset = 10100 // beside a, as up --auto-offset would put it
	b = planFor(t, b.Config)
	for _, pl := range []*plan.Plan{a, b} {
		if _, err := Up(context.Background(), f, pl, fixedSecrets{}, UpOptions{NoWait: true}); err != nil {
			t.Fatalf("up %s: %v", pl.Identity.ID, err)
		}
	}
	if a.Identity.ID == b.Identity.ID {
		t.Fatalf("both clones are %s", a.Identity.ID)
	}
	for _, pl := range []*plan.Plan{a, b} {
		for _, u := range pl.Units {
			c := f.Containers[u.Spec.Name]
			if c == nil || c.Labels[engine.LabelCheckout] != pl.Identity.Checkout || c.Labels[engine.LabelName] != "shop" {
				t.Fatalf("%s: container %s: %+v", pl.Identity.ID, u.Spec.Name, c)
			}
		}
	}
	r, err := Down(context.Background(), f, b.Config, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Containers) != 3 || len(r.Volumes) != 3 || r.Project != "shop" {
		t.Fatalf("down in b: %+v", r)
	}
	for _, u := range a.Units {
		if f.Containers[u.Spec.Name] == nil || f.VolumeSet[u.Spec.Volume] == nil {
			t.Fatalf("b's down --volumes took a's %s", u.Name())
		}
	}
	if _, ok := f.Networks[plan.NetworkName(a.Identity.ID)]; !ok {
		t.Fatal("b's down took a's network")
	}
	for _, c := range r.Containers {
		if !strings.HasPrefix(c, b.Identity.ID+"-") {
			t.Fatalf("b's down removed %s", c)
		}
	}
}

// The port-clash hint never proposes to take down another checkout's stack: it moves
// this one beside it. Only a holder that is no devstack stack is "stop what holds them".
func TestPortsHeldHintLeavesOtherCheckouts(t *testing.T) {
	clone := &ports.Holder{Service: "redis", Project: "shop-0a1b2c3d", Checkout: "/work/shop"}
	tests := []struct {
		name   string
		holder *ports.Holder
		want   string
	}{
		{"another checkout's stack", clone, "devstack up --auto-offset"},
		{"a process", &ports.Holder{PID: 42, Command: "redis-server"}, "stop what holds them"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &PortsHeldError{Held: []ports.Status{{Port: ports.Port{Service: "redis", Host: 6579}, State: ports.Held, Holder: tt.holder}}}
			hint := e.Hint()
			if !strings.Contains(hint, tt.want) || tt.holder.Project != "" && (strings.Contains(hint, "down") || strings.Contains(hint, "stop")) {
				t.Fatalf("hint %q, want %q and nothing that stops the other stack", hint, tt.want)
			}
			if tt.holder.Project != "" && !strings.Contains(e.Error(), "of the checkout /work/shop") {
				t.Fatalf("error %q does not say whose checkout", e.Error())
			}
		})
	}
}
