package probe

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	amqp "github.com/rabbitmq/amqp091-go"
)

func TestAuthFailureIsToldFromStartingUp(t *testing.T) {
	tests := []struct {
		name string
		err  error
		auth bool
	}{
		{"postgres wrong password", &pgconn.PgError{Code: "28P01"}, true},
		{"postgres no pg_hba entry", fmt.Errorf("connect: %w", &pgconn.PgError{Code: "28000"}), true},
		{"postgres starting up", &pgconn.PgError{Code: "57P03"}, false},
		{"rabbitmq access refused", &amqp.Error{Code: amqp.AccessRefused}, true},
		{"rabbitmq connection forced", &amqp.Error{Code: amqp.ConnectionForced}, false},
		{"redis wrong password", errors.New("WRONGPASS invalid username-password pair or user is disabled."), true},
		{"redis no auth", errors.New("NOAUTH Authentication required."), true},
		{"redis loading", errors.New("LOADING Redis is loading the dataset in memory"), false},
		{"connection refused", errors.New("dial tcp 127.0.0.1:6379: connect: connection refused"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errors.Is(authFailure(tt.err), ErrAuth); got != tt.auth {
				t.Fatalf("auth = %v, want %v", got, tt.auth)
			}
		})
	}
}
