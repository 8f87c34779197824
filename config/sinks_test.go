package config

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// Every sink a devstack.yaml string reaches refuses what its grammar does not take, at
// load: a *config.Error at the offending value's own line and column, naming the key,
// saying the rule and the fix (issue 18, rule 2; rows 1, 3, 4, 8, 9 and the index row).
func TestSinksRefusedAtLoad(t *testing.T) {
	tests := []struct {
		file      string
		line, col int
		key       string
		msg       string
	}{
		// row 1: mount options after the path; the engine's mount grammar
		{"sink-volume-options.yaml", 5, 13, "services.app.volume", "may hold only letters, digits and / . _ -"},
		{"sink-volume-parent.yaml", 5, 13, "services.app.volume", "must be a clean path"},
		{"sink-image-option.yaml", 3, 12, "services.app.image", "must not start with '-'"},
		{"sink-image-builtin.yaml", 2, 21, "services.postgres.image", "is not an image reference"},
		// row 3: keys a shell or runtime reads
		{"sink-setting-prompt.yaml", 4, 7, "services.redis.connection.PROMPT_COMMAND", "must end in what the setting holds"},
		{"sink-setting-bashenv.yaml", 7, 7, "services.app.connection.BASH_ENV", "must end in what the setting holds"},
		{"sink-setting-docker-host.yaml", 4, 7, "services.redis.connection.DOCKER_HOST", "DOCKER_ is a namespace a tool or runtime reads"},
		// row 4: git's argv
		{"sink-git-ref.yaml", 4, 13, "fixtures[0].source", "ref must not start with '-'"},
		{"sink-git-ssh-option.yaml", 4, 13, "fixtures[0].source", "host must be a host name"},
		{"sink-git-sshkey.yaml", 4, 13, "fixtures[0].source", `"sshkey" is not one devstack passes to git`},
		{"sink-git-subdir.yaml", 4, 13, "fixtures[0].source", "subdirectory must be a clean path"},
		// row 8: secret names become lines of .devstack/secrets.env
		{"sink-secret-newline.yaml", 4, 21, "services.redis.connection.APP_PASSWORD", "secret name must be capitals"},
		{"sink-secret-env-newline.yaml", 4, 26, "services.postgres.env.POSTGRES_PASSWORD", "secret name must be capitals"},
		// row 9: the probe's URL keeps the service's host
		{"sink-probe-path.yaml", 5, 26, "services.app.probe.http.path", "must start with '/'"},
		{"sink-probe-secret.yaml", 5, 41, "services.app.probe.http.user", "is not a reference a probe resolves"},
		// the index row, and the other servers' naming rules
		{"sink-index-star.yaml", 3, 50, "fixtures[0].index", "index name must start with a lower-case letter or digit"},
		{"sink-index-all.yaml", 5, 12, "fixtures[0].index", "index name must start with a lower-case letter or digit"},
		{"sink-bucket.yaml", 3, 46, "fixtures[0].bucket", "bucket name may hold only lower-case"},
		{"sink-mongo-admin.yaml", 3, 50, "fixtures[0].database", "is a database MongoDB keeps for itself"},
		{"sink-postgres-db-env.yaml", 3, 24, "services.postgres.env.POSTGRES_DB", "database name holds characters the server would need quoted"},
		{"sink-influx-db.yaml", 4, 20, "services.influxdb.env.INFLUXDB_DB", "database name holds characters"},
		{"sink-vhost.yaml", 4, 31, "services.rabbitmq.env.RABBITMQ_DEFAULT_VHOST", "vhost must be / or letters"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := load(t, tt.file, nil)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v; want *config.Error", err)
			}
			if ce.Line != tt.line || ce.Col != tt.col || ce.Key != tt.key || !strings.Contains(ce.Msg, tt.msg) {
				t.Fatalf("got %d:%d key %q msg %q\nwant %d:%d key %q msg containing %q", ce.Line, ce.Col, ce.Key, ce.Msg, tt.line, tt.col, tt.key, tt.msg)
			}
			if ce.Fix == "" {
				t.Fatalf("%v has no fix", err)
			}
			if want := fmt.Sprintf("%s:%d:%d: %s: ", tt.file, tt.line, tt.col, tt.key); !strings.Contains(err.Error(), want) {
				t.Fatalf("%q does not read file:line:col: key: (%q)", err, want)
			}
			if strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "chosen") {
				t.Fatalf("the error quotes what the repository wrote into a secret's place: %q", err)
			}
		})
	}
}

// What the grammars are for stays accepted: the shapes real projects write.
func TestSinksAccepted(t *testing.T) {
	cfg, err := load(t, "sink-accepted.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Fixtures) != 4 {
		t.Fatalf("%d fixtures; want 4", len(cfg.Fixtures))
	}
}
