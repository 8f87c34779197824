package probe

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	amqp "github.com/rabbitmq/amqp091-go"
)

// ErrAuth marks an attempt that reached the service and was refused its credentials:
// unlike a service still starting, that does not heal by waiting.
var ErrAuth = errors.New("the service refused devstack's credentials")

// authFailure wraps err in ErrAuth when the service answered with an authentication
// refusal, by the driver's own error type or the protocol's error code.
func authFailure(err error) error {
	if err == nil {
		return nil
	}
	var pg *pgconn.PgError
	var am *amqp.Error
	switch {
	// 28P01 invalid_password; 28000 no pg_hba.conf entry, as a data directory whose
	// first initialisation was interrupted has.
	case errors.As(err, &pg) && (pg.Code == "28P01" || pg.Code == "28000"):
	case errors.As(err, &am) && am.Code == amqp.AccessRefused:
	case strings.HasPrefix(err.Error(), "WRONGPASS"), strings.HasPrefix(err.Error(), "NOAUTH"):
	default:
		return err
	}
	return fmt.Errorf("%w: %v", ErrAuth, err)
}
