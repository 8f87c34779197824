//go:build e2e

package main

// Every preset on the real engine: init --preset, up, real work through a real client
// with nothing but devstack env's settings, down --volumes. The offline images stand in
// for the official ones through DEVSTACK_IMAGE_*; two are NOT the product: mongodb is
// FerretDB (MongoDB's wire protocol), grafana an HTTP stand-in answering Grafana's API.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/smtp"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bradfitz/gomemcache/memcache"
	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/redis/go-redis/v9"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/devstack-dev/devstack/config"
)

// work is one service's real use, from the settings alone.
type work func(t *testing.T, ctx context.Context, env map[string]string)

var serviceWork = map[string]work{
	"redis": func(t *testing.T, ctx context.Context, env map[string]string) {
		opt, err := redis.ParseURL(env["REDIS_URL"])
		if err != nil {
			t.Fatal(err)
		}
		c := redis.NewClient(opt)
		defer c.Close()
		if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
			t.Fatalf("redis set: %v", err)
		}
		if v, err := c.Get(ctx, "k").Result(); err != nil || v != "v" {
			t.Fatalf("redis get: %q %v", v, err)
		}
	},
	"postgres": func(t *testing.T, ctx context.Context, env map[string]string) {
		pg, err := pgx.Connect(ctx, env["DATABASE_URL"])
		if err != nil {
			t.Fatal(err)
		}
		defer pg.Close(ctx)
		if _, err := pg.Exec(ctx, "CREATE TABLE t (x int); INSERT INTO t VALUES (7)"); err != nil {
			t.Fatalf("postgres: %v", err)
		}
		var n int
		if err := pg.QueryRow(ctx, "SELECT x FROM t").Scan(&n); err != nil || n != 7 {
			t.Fatalf("postgres read back %d: %v", n, err)
		}
	},
	"rabbitmq": func(t *testing.T, ctx context.Context, env map[string]string) {
		conn, err := amqp.Dial(env["AMQP_URL"])
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		ch, err := conn.Channel()
		if err != nil {
			t.Fatal(err)
		}
		q, err := ch.QueueDeclare("e2e", false, true, false, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := ch.PublishWithContext(ctx, "", q.Name, false, false, amqp.Publishing{Body: []byte("hi")}); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			msg, ok, err := ch.Get(q.Name, true)
			if err != nil {
				t.Fatal(err)
			}
			if ok && string(msg.Body) == "hi" {
				return
			}
			if time.Now().After(deadline) {
				t.Fatal("the message never arrived")
			}
			time.Sleep(100 * time.Millisecond)
		}
	},
	// The OpenSearch image here is a stand-in answering the REST calls a stack makes.
	"opensearch": func(t *testing.T, ctx context.Context, env map[string]string) {
		code, body := callHTTP(t, ctx, http.MethodGet, env["OPENSEARCH_URL"]+"/_cluster/health", "", "", nil)
		if code != 200 || !strings.Contains(body, "status") {
			t.Fatalf("opensearch health %d %s", code, body)
		}
	},
	"minio": func(t *testing.T, ctx context.Context, env map[string]string) {
		code, _ := callHTTP(t, ctx, http.MethodGet, env["S3_ENDPOINT_URL"]+"/minio/health/live", "", "", nil)
		if code != 200 || env["S3_BUCKET"] == "" {
			t.Fatalf("minio live %d, bucket %q", code, env["S3_BUCKET"])
		}
	},
	"mariadb": func(t *testing.T, ctx context.Context, env map[string]string) {
		db := mariadb(t, env["MARIADB_URL"])
		if _, err := db.ExecContext(ctx, "CREATE TABLE courses (id int PRIMARY KEY, title varchar(80))"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, "INSERT INTO courses VALUES (1, 'Algebra')"); err != nil {
			t.Fatal(err)
		}
		var title string
		if err := db.QueryRowContext(ctx, "SELECT title FROM courses WHERE id = 1").Scan(&title); err != nil || title != "Algebra" {
			t.Fatalf("mariadb read back %q: %v", title, err)
		}
	},
	// FerretDB, not MongoDB: the official driver, SCRAM with authSource=admin.
	"mongodb": func(t *testing.T, ctx context.Context, env map[string]string) {
		coll := mongoDB(t, ctx, env).Collection("activity")
		if _, err := coll.InsertOne(ctx, bson.D{{Key: "user", Value: "ada"}, {Key: "done", Value: 3}}); err != nil {
			t.Fatal(err)
		}
		var got struct{ Done int }
		if err := coll.FindOne(ctx, bson.D{{Key: "user", Value: "ada"}}).Decode(&got); err != nil || got.Done != 3 {
			t.Fatalf("mongodb read back %+v: %v", got, err)
		}
	},
	"mailpit": func(t *testing.T, ctx context.Context, env map[string]string) {
		addr := env["SMTP_HOST"] + ":" + env["SMTP_PORT"]
		if strings.Contains(env["SMTP_HOST"], ":") {
			addr = "[" + env["SMTP_HOST"] + "]:" + env["SMTP_PORT"]
		}
		msg := "From: app@example.test\r\nTo: ada@example.test\r\nSubject: welcome-e2e\r\n\r\nhello\r\n"
		if err := smtp.SendMail(addr, nil, "app@example.test", []string{"ada@example.test"}, []byte(msg)); err != nil {
			t.Fatalf("smtp: %v", err)
		}
		code, body := callHTTP(t, ctx, http.MethodGet, env["MAILPIT_URL"]+"/api/v1/messages", "", "", nil)
		if code != 200 || !strings.Contains(body, "welcome-e2e") {
			t.Fatalf("mailpit API %d: the mail is not there: %s", code, body)
		}
	},
	"prometheus": func(t *testing.T, ctx context.Context, env map[string]string) {
		code, body := callHTTP(t, ctx, http.MethodGet, env["PROMETHEUS_URL"]+"/api/v1/query?query=up", "", "", nil)
		if code != 200 || !strings.Contains(body, `"status":"success"`) {
			t.Fatalf("prometheus query %d %s", code, body)
		}
	},
	// An HTTP stand-in, NOT Grafana: it checks the admin credentials as Grafana does.
	"grafana": func(t *testing.T, ctx context.Context, env map[string]string) {
		user, pass, _ := strings.Cut(env["GRAFANA_AUTH"], ":")
		if code, body := callHTTP(t, ctx, http.MethodGet, env["GRAFANA_URL"]+"/api/org", user, pass, nil); code != 200 || !strings.Contains(body, "Main Org") {
			t.Fatalf("grafana /api/org %d %s", code, body)
		}
		if code, _ := callHTTP(t, ctx, http.MethodGet, env["GRAFANA_URL"]+"/api/org", "admin", "admin", nil); code != 401 {
			t.Fatalf("grafana took the default password: %d", code)
		}
	},
	"influxdb": func(t *testing.T, ctx context.Context, env map[string]string) {
		base, db := env["INFLUXDB_URL"], url.QueryEscape(env["INFLUXDB_DATABASE"])
		user, pass := env["INFLUX_USERNAME"], env["INFLUX_PASSWORD"]
		if code, body := callHTTP(t, ctx, http.MethodPost, base+"/write?db="+db, user, pass, strings.NewReader("usage,project=p requests=42i")); code != 204 {
			t.Fatalf("influxdb write %d %s", code, body)
		}
		if code, _ := callHTTP(t, ctx, http.MethodPost, base+"/write?db="+db, "", "", strings.NewReader("usage requests=1i")); code != 401 {
			t.Fatalf("influxdb took a write without credentials: %d", code)
		}
		code, body := callHTTP(t, ctx, http.MethodGet, base+"/query?db="+db+"&q="+url.QueryEscape("SELECT requests FROM usage"), user, pass, nil)
		if code != 200 || !strings.Contains(body, "42") {
			t.Fatalf("influxdb read back %d %s", code, body)
		}
	},
	"memcached": func(t *testing.T, ctx context.Context, env map[string]string) {
		c := memcache.New(env["MEMCACHE_SERVERS"])
		if err := c.Set(&memcache.Item{Key: "greeting", Value: []byte("hello")}); err != nil {
			t.Fatalf("memcached set: %v", err)
		}
		it, err := c.Get("greeting")
		if err != nil || string(it.Value) != "hello" {
			t.Fatalf("memcached get: %v %v", it, err)
		}
	},
}

func callHTTP(t *testing.T, ctx context.Context, method, u, user, pass string, body io.Reader) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// mariadb opens MARIADB_URL (mysql://user:pass@host:port/db) with the MySQL driver.
func mariadb(t *testing.T, raw string) *sql.DB {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "mysql" {
		t.Fatalf("MARIADB_URL %q: %v", raw, err)
	}
	cfg := mysql.NewConfig()
	cfg.Net, cfg.Addr, cfg.DBName = "tcp", u.Host, strings.TrimPrefix(u.Path, "/")
	cfg.User = u.User.Username()
	cfg.Passwd, _ = u.User.Password()
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(connector)
	t.Cleanup(func() { db.Close() })
	return db
}

func mongoDB(t *testing.T, ctx context.Context, env map[string]string) *mongo.Database {
	t.Helper()
	c, err := mongo.Connect(options.Client().ApplyURI(env["MONGODB_URL"]))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Disconnect(context.Background()) })
	return c.Database(env["MONGODB_DATABASE"])
}

var presetNames = []string{"invenio", "frappe", "openvle", "mlp", "realmocean"}

func TestPresetStacks(t *testing.T) {
	for _, name := range presetNames {
		t.Run(name, func(t *testing.T) {
			p := initPreset(t, name)
			u := p.up()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			env := p.env()
			for _, s := range u.Services {
				if !s.Ready {
					t.Fatalf("%s not ready: %+v", s.Name, s)
				}
				w, ok := serviceWork[s.Name]
				if !ok {
					t.Fatalf("no real work written for %s", s.Name)
				}
				t.Run(s.Name, func(t *testing.T) { w(t, ctx, env) })
			}
		})
	}
}

// initPreset runs init --preset in a fresh project, then gives it its own name and a
// free offset (the only lines changed), and takes it down with its volumes at the end.
func initPreset(t *testing.T, preset string) *stackProject {
	t.Helper()
	requireEngine(t)
	p := &stackProject{t: t, dir: t.TempDir()}
	if r := p.run("init", "--preset", preset); r.code != 0 {
		t.Fatalf("init --preset %s: exit %d\n%s%s", preset, r.code, r.stdout, r.stderr)
	}
	path := filepath.Join(p.dir, config.FileName)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	services := string(data[strings.Index(string(data), "\nservices:\n")+1:])
	p.name = config.ProjectName(fmt.Sprintf("e2e-preset-%s-%d", preset, time.Now().UnixNano()%100000))
	text := regexp.MustCompile(`(?m)^project: .*$`).ReplaceAllString(string(data), "project: "+p.name)
	text = regexp.MustCompile(`(?m)^offset: 0$`).ReplaceAllString(text, fmt.Sprintf("offset: %d", freeOffset(t, services)))
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if r := p.run("down", "--volumes"); r.code != 0 {
			t.Errorf("cleanup: down --volumes exited %d: %s", r.code, r.stderr)
		}
	})
	return p
}

// MariaDB's SQL fixtures and the MongoDB stand-in's (FerretDB) NDJSON fixtures load
// through devstack fixtures, and memcached, the remaining built-in, serves set/get.
func TestFixturesMariaDBAndMongoDB(t *testing.T) {
	p := newStackProject(t, "services:\n  mariadb:\n  mongodb:\n  memcached:\n")
	mustWrite(t, filepath.Join(p.dir, "sql", "01-schema.sql"), "CREATE TABLE people (id int PRIMARY KEY, name varchar(40));\n")
	mustWrite(t, filepath.Join(p.dir, "sql", "02-rows.sql"), "INSERT INTO people VALUES (1, 'Ada');\nINSERT INTO people VALUES (2, 'Grace');\n")
	mustWrite(t, filepath.Join(p.dir, "docs", "people.ndjson"), "{\"_id\": 1, \"name\": \"Ada\"}\n{\"_id\": 2, \"name\": \"Grace\"}\n")
	p.write("services:\n  mariadb:\n  mongodb:\n  memcached:\nfixtures:\n" +
		"  - {name: sql, service: mariadb, source: ./sql}\n" +
		"  - {name: docs, service: mongodb, source: ./docs, collection: staff}\n")
	p.up()
	r := p.run("fixtures", "-o", "json")
	if r.code != 0 {
		t.Fatalf("fixtures: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	env := p.env()
	var n int
	if err := mariadb(t, env["MARIADB_URL"]).QueryRowContext(ctx, "SELECT COUNT(*) FROM people").Scan(&n); err != nil || n != 2 {
		t.Fatalf("mariadb people: %d %v", n, err)
	}
	count, err := mongoDB(t, ctx, env).Collection("staff").CountDocuments(ctx, bson.D{})
	if err != nil || count != 2 {
		t.Fatalf("mongodb staff: %d %v", count, err)
	}
	serviceWork["memcached"](t, ctx, env)

	// A broken file names its file and line, and what was loaded stays loaded.
	mustWrite(t, filepath.Join(p.dir, "sql", "03-broken.sql"), "INSERT INTO people VALUES (3, 'Linus');\nINSERT INTO people VALUS (4, 'Barbara');\n")
	r = p.run("fixtures", "-o", "json", "sql")
	var rep struct {
		Fixtures []struct{ Error string } `json:"fixtures"`
	}
	_ = json.Unmarshal([]byte(r.stdout), &rep)
	if r.code != 1 || len(rep.Fixtures) != 1 || !strings.Contains(rep.Fixtures[0].Error, "03-broken.sql:2") {
		t.Fatalf("a broken SQL fixture: exit %d %+v\n%s", r.code, rep, r.stderr)
	}
	if err := mariadb(t, env["MARIADB_URL"]).QueryRowContext(ctx, "SELECT COUNT(*) FROM people").Scan(&n); err != nil || n != 2 {
		t.Fatalf("the broken file's first row stayed: %d %v", n, err)
	}
}

func mustWrite(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
