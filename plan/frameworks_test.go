package plan

import (
	"errors"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/services"
)

// A framework listed under frameworks: adds its names after each service's generic ones;
// connection: replaces or drops them like any other setting.
func TestFrameworkSettings(t *testing.T) {
	const pw = "secret-redis_password"
	tests := []struct {
		name string
		yaml string
		want []string // KEY=value, in order
	}{
		{
			name: "invenio, every service",
			yaml: "project: app\noffset: 100\nframeworks: [invenio]\n",
			want: []string{
				"REDIS_URL=redis://default:" + pw + "@127.0.0.1:6679/0",
				"INVENIO_CACHE_REDIS_URL='redis://default:" + pw + "@127.0.0.1:6679/0'",
				"INVENIO_ACCOUNTS_SESSION_REDIS_URL='redis://default:" + pw + "@127.0.0.1:6679/1'",
				"INVENIO_CELERY_RESULT_BACKEND='redis://default:" + pw + "@127.0.0.1:6679/2'",
				"INVENIO_RATELIMIT_STORAGE_URI='redis://default:" + pw + "@127.0.0.1:6679/3'",
				"INVENIO_COMMUNITIES_IDENTITIES_CACHE_REDIS_URL='redis://default:" + pw + "@127.0.0.1:6679/4'",
				"DATABASE_URL=postgresql://devstack:secret-postgres_password@127.0.0.1:5732/app",
				"INVENIO_SQLALCHEMY_DATABASE_URI='postgresql+psycopg2://devstack:secret-postgres_password@127.0.0.1:5732/app'",
				"AMQP_URL=amqp://devstack:secret-rabbitmq_default_pass@127.0.0.1:5972/",
				"RABBITMQ_MANAGEMENT_URL=http://devstack:secret-rabbitmq_default_pass@127.0.0.1:15972",
				"INVENIO_BROKER_URL='amqp://devstack:secret-rabbitmq_default_pass@127.0.0.1:5972/'",
				"INVENIO_CELERY_BROKER_URL='amqp://devstack:secret-rabbitmq_default_pass@127.0.0.1:5972/'",
				"OPENSEARCH_URL=http://127.0.0.1:9500",
				"INVENIO_SEARCH_HOSTS=['http://127.0.0.1:9500']",
				"S3_ENDPOINT_URL=http://127.0.0.1:9100",
				"S3_ACCESS_KEY_ID=devstack",
				"S3_SECRET_ACCESS_KEY=secret-minio_root_password",
				"S3_BUCKET=app",
				"INVENIO_S3_ENDPOINT_URL='http://127.0.0.1:9100'",
				"INVENIO_S3_ACCESS_KEY_ID='devstack'",
				"INVENIO_S3_SECRET_ACCESS_KEY='secret-minio_root_password'",
			},
		},
		{
			name: "celery with RabbitMQ: the broker is RabbitMQ, the results Redis",
			yaml: "project: app\nframeworks: [celery]\nservices:\n  redis:\n  rabbitmq:\n",
			want: []string{
				"REDIS_URL=redis://default:" + pw + "@127.0.0.1:6579/0",
				"CELERY_RESULT_BACKEND=redis://default:" + pw + "@127.0.0.1:6579/2",
				"AMQP_URL=amqp://devstack:secret-rabbitmq_default_pass@127.0.0.1:5872/",
				"RABBITMQ_MANAGEMENT_URL=http://devstack:secret-rabbitmq_default_pass@127.0.0.1:15872",
				"CELERY_BROKER_URL=amqp://devstack:secret-rabbitmq_default_pass@127.0.0.1:5872/",
			},
		},
		{
			name: "celery without RabbitMQ: Redis is the broker, in a database of its own",
			yaml: "project: app\nframeworks: [celery]\nservices:\n  redis:\n",
			want: []string{
				"REDIS_URL=redis://default:" + pw + "@127.0.0.1:6579/0",
				"CELERY_RESULT_BACKEND=redis://default:" + pw + "@127.0.0.1:6579/2",
				"CELERY_BROKER_URL=redis://default:" + pw + "@127.0.0.1:6579/5",
			},
		},
		{
			name: "connection: drops and reuses a framework's setting",
			yaml: "project: app\nframeworks: [invenio]\nservices:\n  postgres:\n    connection:\n" +
				"      DATABASE_URL: null\n      INVENIO_SQLALCHEMY_DATABASE_URI: null\n      APP_DATABASE_URL: \"{setting:INVENIO_SQLALCHEMY_DATABASE_URI}\"\n",
			want: []string{"APP_DATABASE_URL='postgresql+psycopg2://devstack:secret-postgres_password@127.0.0.1:5632/app'"},
		},
		{
			name: "no frameworks: the generic names only",
			yaml: "project: app\nservices:\n  redis:\n",
			want: []string{"REDIS_URL=redis://default:" + pw + "@127.0.0.1:6579/0"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl, err := New(configtest.Load(t, tt.yaml), fixedSecrets{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := pl.Settings("", fixedSecrets{})
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, s := range got {
				lines = append(lines, s.Key+"="+s.Value)
				if strings.Contains(s.Value, "secret-") && !s.Secret {
					t.Errorf("%s holds a credential and is not marked secret", s.Key)
				}
			}
			if strings.Join(lines, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("settings\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// Frappe's keys come on their own, for the host the application reaches; a stack with
// neither of the services Frappe uses is refused with what to add.
func TestFrappeSettings(t *testing.T) {
	pl, err := New(configtest.Load(t, "project: app\noffset: 7\nservices:\n  redis:\n  mariadb:\n  postgres:\n"), fixedSecrets{})
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"", "build.example"} {
		got, err := pl.FrameworkSettings("frappe", host)
		if err != nil {
			t.Fatal(err)
		}
		h := "127.0.0.1"
		if host != "" {
			h = host
		}
		want := []string{
			"redis_cache=redis://default:secret-redis_password@" + h + ":6586/0",
			"redis_queue=redis://default:secret-redis_password@" + h + ":6586/1",
			"redis_socketio=redis://default:secret-redis_password@" + h + ":6586/1",
			"db_host=" + h,
			"db_port=3513",
			"root_login=root",
			"root_password=secret-mariadb_root_password",
		}
		var lines []string
		for _, s := range got {
			lines = append(lines, s.Key+"="+s.Value)
		}
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Fatalf("host %q:\n%s\nwant\n%s", host, strings.Join(lines, "\n"), strings.Join(want, "\n"))
		}
	}
	none, err := New(configtest.Load(t, "project: app\nservices:\n  postgres:\n"), fixedSecrets{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = none.FrameworkSettings("frappe", "")
	var ce *config.Error
	if !errors.As(err, &ce) || !strings.Contains(ce.Msg, "mariadb, redis") || !strings.Contains(ce.Fix, "add mariadb and redis") {
		t.Fatalf("err = %v", err)
	}
	if _, ok := services.LookupFramework("frappe"); !ok {
		t.Fatal("frappe is not registered")
	}
}
