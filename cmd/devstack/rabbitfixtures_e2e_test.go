//go:build e2e

package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// fixtures --reset on a real RabbitMQ (3.10 from the offline image; the management API
// devstack uses is the same in 4.x): the queues and exchanges the definitions declare
// are deleted and made again, so the declared queue is empty and still bound; a queue
// the definitions do not declare keeps its messages.
func TestRabbitMQFixtureResetInPlace(t *testing.T) {
	p := newStackProject(t, "services:\n  rabbitmq:\n")
	copyDir(t, filepath.Join("testdata", "rabbit-fixtures"), filepath.Join(p.dir, "fixtures", "rabbit"))
	p.base += "fixtures:\n  - {name: broker, service: rabbitmq, source: ./fixtures/rabbit}\n"
	p.write("services:\n  rabbitmq:\n")
	p.up()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	conn, err := amqp.Dial(p.env()["AMQP_URL"])
	if err != nil {
		t.Fatalf("rabbitmq: %v", err)
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.Confirm(false); err != nil {
		t.Fatal(err)
	}
	publish := func(exchange, key string, n int) {
		t.Helper()
		for range n {
			c, err := ch.PublishWithDeferredConfirmWithContext(ctx, exchange, key, true, false, amqp.Publishing{Body: []byte("m"), DeliveryMode: amqp.Persistent})
			if err != nil {
				t.Fatalf("publish to %q/%q: %v", exchange, key, err)
			}
			if ok, err := c.WaitContext(ctx); !ok || err != nil {
				t.Fatalf("publish to %q/%q not confirmed: %v", exchange, key, err)
			}
		}
	}
	messages := func(queue string) int {
		t.Helper()
		// A channel of its own: a passive declare of a missing queue closes the channel.
		c, err := conn.Channel()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		q, err := c.QueueDeclarePassive(queue, true, false, false, false, nil)
		if err != nil {
			t.Fatalf("queue %s: %v", queue, err)
		}
		return q.Messages
	}
	fixtures := func(args ...string) fixturesJSON {
		t.Helper()
		r := p.run(append([]string{"fixtures", "-o", "json"}, args...)...)
		var f fixturesJSON
		if err := json.Unmarshal([]byte(r.stdout), &f); err != nil || r.code != 0 || !f.OK {
			t.Fatalf("fixtures %v: exit %d %v\n%s\n%s", args, r.code, err, r.stdout, r.stderr)
		}
		return f
	}

	// A queue of the application's own, not in the definitions.
	if _, err := ch.QueueDeclare("audit", true, false, false, false, nil); err != nil {
		t.Fatal(err)
	}
	publish("", "audit", 2)
	first := fixtures()
	if got := first.applied()["broker"]; len(got) != 1 {
		t.Fatalf("fixtures applied %v, want the one definitions file", got)
	}
	publish("shop", "new", 3) // through the declared exchange and binding
	if n := messages("orders"); n != 3 {
		t.Fatalf("orders holds %d messages before the reset, want 3", n)
	}

	reset := fixtures("--reset", "broker")
	if !reset.Fixtures[0].Reset || len(reset.applied()["broker"]) != 1 {
		t.Fatalf("--reset broker: %+v", reset.Fixtures)
	}
	if n := messages("orders"); n != 0 {
		t.Fatalf("orders holds %d messages after the reset, want 0", n)
	}
	if n := messages("audit"); n != 2 {
		t.Fatalf("audit, not in the definitions, holds %d messages after the reset, want its 2", n)
	}
	// Made again with its exchange and binding: a message routed through them arrives.
	publish("shop", "new", 1)
	if n := messages("orders"); n != 1 {
		t.Fatalf("orders holds %d messages after one more through shop, want 1", n)
	}
}
