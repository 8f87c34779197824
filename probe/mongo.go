package probe

import (
	"context"
	"net/url"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/devstack-dev/devstack/probe/spec"
)

// Mongo is ready when the server answers ping on Database ("admin" when empty), after
// authenticating when User is set.
type Mongo struct {
	Port                     string
	User, Password, Database string // templates
}

func init() {
	Register("mongo", func(s spec.Spec) (Strategy, error) {
		return Mongo{Port: s.Port, User: s.User, Password: s.Password, Database: s.Database}, nil
	})
}

var _ Strategy = Mongo{}

func (m Mongo) Check(ctx context.Context, t Target) error {
	addr, err := Addr(t, m.Port)
	if err != nil {
		return err
	}
	if err := expandAll(t, &m.User, &m.Password, &m.Database); err != nil {
		return err
	}
	if m.Database == "" {
		m.Database = "admin"
	}
	u := url.URL{Scheme: "mongodb", Host: addr, Path: "/"}
	opts := options.Client().ApplyURI(u.String()).SetDirect(true).
		SetConnectTimeout(time.Second).SetServerSelectionTimeout(attemptTimeout).SetTimeout(attemptTimeout)
	if m.User != "" {
		opts.SetAuth(options.Credential{Username: m.User, Password: m.Password})
	}
	c, err := mongo.Connect(opts)
	if err != nil {
		return err
	}
	defer func() {
		// Disconnect waits on the driver's monitors: bound it, whatever ctx says.
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 100*time.Millisecond)
		defer cancel()
		_ = c.Disconnect(dctx)
	}()
	ctx, cancel := context.WithTimeout(ctx, attemptTimeout)
	defer cancel()
	return c.Database(m.Database).RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Err()
}

func (m Mongo) String() string { return "mongo ping" }
