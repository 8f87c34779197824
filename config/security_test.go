package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every refusal of a hostile or careless devstack.yaml: an Error at the right line and
// key, with a fix.
func TestLoadRefusals(t *testing.T) {
	tests := []struct {
		file string
		line int
		key  string
		msg  string
	}{
		{"multi-document.yaml", 2, "", "more than one YAML document"},
		{"env-duplicate.yaml", 5, "services.minio.env.FOO", "appears twice"},
		{"env-empty-key.yaml", 4, "services.minio.env", "empty name"},
		{"env-bad-name.yaml", 4, "services.minio.env", `"A=B" is not a variable name`},
		{"empty-constraint.yaml", 2, "tools.python", "empty constraint"},
		{"empty-constraint-long.yaml", 2, "tools.node.version", "empty constraint"},
		{"bind-multicast.yaml", 1, "bind", "multicast"},
		{"bind-broadcast.yaml", 1, "bind", "broadcast"},
		{"bind-link-local.yaml", 1, "bind", "link-local"},
		{"bind-empty.yaml", 1, "bind", "not an IP address"},
		{"offset-past-ports.yaml", 1, "offset", "offset 50000 is out of range 0..49663"},
		{"envfile-parent.yaml", 2, "env_file", "outside the project"},
		{"envfile-absolute.yaml", 1, "env_file", "/etc/passwd is outside the project"},
		{"envfile-git.yaml", 1, "env_file", "inside the version-control metadata"},
		{"envfile-self.yaml", 1, "env_file", "not a file for connection settings"},
		{"envfile-empty.yaml", 1, "env_file", "is empty"},
		{"source-parent.yaml", 5, "fixtures[0].source", "outside the project"},
		{"source-absolute.yaml", 5, "fixtures[0].source", "/etc is outside the project"},
		{"source-fileurl.yaml", 5, "fixtures[0].source", "/etc/ssl is outside the project"},
		{"source-forced-file.yaml", 5, "fixtures[0].source", "file:: sources are not fetched"},
		{"source-forced-s3.yaml", 5, "fixtures[0].source", "s3:: sources are not fetched"},
		{"source-git-file-outside.yaml", 5, "fixtures[0].source", "/etc is outside the project"},
		{"source-git-local-outside.yaml", 5, "fixtures[0].source", "outside the project"},
		{"source-git-ext.yaml", 5, "fixtures[0].source", "another forced getter or git transport"},
		{"source-git-dash.yaml", 5, "fixtures[0].source", "cannot start with '-'"},
		{"source-scheme-ftp.yaml", 5, "fixtures[0].source", "ftp:// sources are not fetched"},
		{"source-md5.yaml", 5, "fixtures[0].source", "checksum md5: is too weak"},
		{"source-sha1.yaml", 5, "fixtures[0].source", "checksum sha1: is too weak"},
		{"source-bare-checksum.yaml", 5, "fixtures[0].source", "checksum must be sha256:HEX"},
		{"long-value.yaml", 1, "project", `"this-project-name-is-far…" is not a valid project name`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := load(t, tt.file, nil)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v; want *config.Error", err)
			}
			if ce.Line != tt.line || ce.Key != tt.key || !strings.Contains(ce.Msg, tt.msg) {
				t.Fatalf("got line %d key %q msg %q; want line %d key %q msg containing %q", ce.Line, ce.Key, ce.Msg, tt.line, tt.key, tt.msg)
			}
			if ce.Fix == "" || !strings.Contains(err.Error(), tt.file) {
				t.Fatalf("error %q (fix %q) lacks the file or a fix", err, ce.Fix)
			}
		})
	}
}

func TestSourcesAccepted(t *testing.T) {
	cfg, err := load(t, "sources-ok.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Fixtures) != 5 {
		t.Fatalf("%d fixtures", len(cfg.Fixtures))
	}
}

// A file passed by mistake (`--config .env`) or a secret in the wrong place is never
// quoted back; other values only as a short prefix.
func TestErrorsNeverQuoteSecrets(t *testing.T) {
	tests := []struct{ name, text string }{
		{"dotenv", "DEBUG=1\nDB_PASSWORD=hunter2\n"},
		{"dotenv one line", "API_TOKEN=hunter2"},
		{"export", "export AWS_SECRET_ACCESS_KEY=hunter2\n"},
		{"secret key with a wrong type", "services:\n  minio:\n    env:\n      MINIO_ROOT_PASSWORD: [hunter2]\n"},
		{"secret value in a plain key", "bind: \"pass=hunter2\"\n"},
		{"long value", "project: \"" + strings.Repeat("X", 40) + "hunter2\"\n"},
		{"long scalar file", strings.Repeat("word ", 10) + "hunter2\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), ".env")
			if err := os.WriteFile(path, []byte(tt.text), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(Options{Path: path, Dir: t.TempDir(), Getenv: func(string) string { return "" }})
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v; want a config error", err)
			}
			if strings.Contains(err.Error(), "hunter2") || strings.Contains(ce.Fix, "hunter2") {
				t.Fatalf("error quotes the secret: %v", err)
			}
		})
	}
}

func TestUnreadableConfig(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("# "+strings.Repeat("x", maxFileSize)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ path, msg, fix string }{
		{dir, "is a directory", filepath.Join(dir, FileName)},
		{big, "larger than 1 MiB", "--config"},
		{filepath.Join(dir, "missing.yaml"), "cannot be read", "--config"},
	}
	for _, tt := range tests {
		_, err := Load(Options{Path: tt.path, Dir: dir, Getenv: func(string) string { return "" }})
		var ce *Error
		if !errors.As(err, &ce) || !strings.Contains(ce.Msg, tt.msg) || !strings.Contains(ce.Fix, tt.fix) {
			t.Errorf("%s: err = %v (fix %q); want %q with a fix naming %q", tt.path, err, output(ce), tt.msg, tt.fix)
		}
	}
}

func output(ce *Error) string {
	if ce == nil {
		return ""
	}
	return ce.Fix
}

// Flags win over the environment and the file, and an error blames whoever gave the
// value that failed.
func TestPrecedenceAndBlame(t *testing.T) {
	str := func(s string) *string { return &s }
	num := func(n int) *int { return &n }
	tests := []struct {
		name       string
		yaml       string // "" means no file at all
		env        map[string]string
		bind       *string
		offset     *int
		wantBind   string
		wantFrom   Origin
		wantOffset int
		wantErr    string // the start of Error()
	}{
		{name: "default", wantBind: "127.0.0.1", wantFrom: FromDefault},
		{name: "file", yaml: "bind: ::1\noffset: 100\n", wantBind: "::1", wantFrom: FromFile, wantOffset: 100},
		{name: "env over file", yaml: "bind: ::1\noffset: 100\n", env: map[string]string{"DEVSTACK_BIND": "127.0.0.1", "DEVSTACK_OFFSET": "200"},
			wantBind: "127.0.0.1", wantFrom: FromEnv, wantOffset: 200},
		{name: "flag over env", yaml: "bind: ::1\n", env: map[string]string{"DEVSTACK_BIND": "::1", "DEVSTACK_OFFSET": "200"},
			bind: str("127.0.0.1"), offset: num(300), wantBind: "127.0.0.1", wantFrom: FromFlag, wantOffset: 300},
		{name: "flag offset out of range, no file", offset: num(50000), wantErr: "--offset: offset 50000 is out of range 0..49663"},
		{name: "env offset out of range", env: map[string]string{"DEVSTACK_OFFSET": "60000"}, wantErr: "environment: DEVSTACK_OFFSET: offset 60000"},
		{name: "file offset out of range", yaml: "project: p\noffset: 49700\n", wantErr: "devstack.yaml:2: offset: offset 49700"},
		{name: "a flag in range wins over a file out of range", yaml: "offset: 60000\n", offset: num(0), wantBind: "127.0.0.1", wantFrom: FromDefault},
		{name: "range follows the planned ports", yaml: "services:\n  redis:\n", offset: num(58956), wantBind: "127.0.0.1", wantFrom: FromDefault, wantOffset: 58956},
		{name: "range follows overrides", yaml: "services:\n  redis: {ports: {redis: 65000}}\n", offset: num(536), wantErr: "--offset: offset 536 is out of range 0..535"},
		{name: "bad flag bind", bind: str("localhost"), wantErr: `--bind: bind address "localhost" is not an IP address`},
		{name: "multicast flag bind", bind: str("ff02::1"), wantErr: "--bind: bind address ff02::1 is a multicast group"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.yaml != "" {
				if err := os.WriteFile(filepath.Join(dir, FileName), []byte(tt.yaml), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(dir) // errors name the file relative to the working directory
			cfg, err := Load(Options{Dir: dir, Getenv: func(k string) string { return tt.env[k] }, Bind: tt.bind, Offset: tt.offset})
			if tt.wantErr != "" {
				var ce *Error
				if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), tt.wantErr) || ce.Fix == "" {
					t.Fatalf("err = %v; want a config error starting %q, with a fix", err, tt.wantErr)
				}
				if strings.Contains(tt.wantErr, "out of range 0..") && !strings.Contains(ce.Fix, strings.Split(strings.SplitAfter(tt.wantErr, "0..")[1], " ")[0]) {
					t.Fatalf("fix %q does not say the real maximum", ce.Fix)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Bind != tt.wantBind || cfg.BindFrom != tt.wantFrom || cfg.Offset != tt.wantOffset {
				t.Fatalf("bind %q from %s, offset %d", cfg.Bind, cfg.BindFrom, cfg.Offset)
			}
		})
	}
}

// A bind off loopback is used by up and bootstrap only when the user typed it.
func TestConfirmBind(t *testing.T) {
	str := func(s string) *string { return &s }
	tests := []struct {
		name    string
		yaml    string
		env     string
		flag    *string
		wantErr string
	}{
		{name: "loopback from the file", yaml: "bind: ::1\n"},
		{name: "every interface from the file", yaml: "project: p\nbind: 0.0.0.0\n", wantErr: "devstack.yaml:2: bind: 0.0.0.0 would publish"},
		{name: "IPv6 every interface from the file", yaml: "bind: \"::\"\n", wantErr: "devstack.yaml:1: bind: :: would publish"},
		{name: "a LAN address from the file", yaml: "bind: 192.168.1.20\n", wantErr: "devstack.yaml:1: bind: 192.168.1.20 would publish"},
		{name: "every interface from the environment", env: "0.0.0.0", wantErr: "environment: DEVSTACK_BIND: 0.0.0.0 would publish"},
		{name: "typed on the command line", yaml: "bind: 0.0.0.0\n", flag: str("0.0.0.0")},
		{name: "the flag takes it back to loopback", yaml: "bind: 0.0.0.0\n", flag: str("127.0.0.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.yaml != "" {
				if err := os.WriteFile(filepath.Join(dir, FileName), []byte(tt.yaml), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(dir)
			opts := Options{Dir: dir, Getenv: func(k string) string {
				if k == "DEVSTACK_BIND" {
					return tt.env
				}
				return ""
			}, Bind: tt.flag}
			// Commands that do not publish load it, and warn.
			cfg, err := Load(opts)
			if err != nil {
				t.Fatal(err)
			}
			if w := cfg.BindWarning(); (w != "") != !cfg.Loopback() || (tt.wantErr != "" && !strings.Contains(w, "refuse it unless you type --bind")) {
				t.Fatalf("warning %q for bind %s", w, cfg.Bind)
			}
			opts.Publish = true
			_, err = Load(opts)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ce *Error
			if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), tt.wantErr) ||
				!strings.Contains(err.Error(), "bypass the host firewall") || !strings.Contains(ce.Fix, "--bind "+cfg.Bind) {
				t.Fatalf("err = %v (fix %q)", err, output(ce))
			}
		})
	}
}

// Links are resolved: a path inside the project that leads out is refused, at load, and
// an allowed path (--allow-outside) is accepted.
func TestLinksOutAreRefused(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(root, "data")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "x.env"), filepath.Join(root, ".env")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, yaml, key string
	}{
		{"fixture source", "services:\n  minio:\nfixtures:\n  - {service: minio, source: ./data}\n", "fixtures[0].source"},
		{"git source", "services:\n  minio:\nfixtures:\n  - {service: minio, source: \"git::./data?ref=v1\"}\n", "fixtures[0].source"},
		{"env_file", "env_file: .env\n", "env_file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(root, FileName), []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(Options{Dir: root, Getenv: func(string) string { return "" }})
			var ce *Error
			if !errors.As(err, &ce) || ce.Key != tt.key || !strings.Contains(ce.Msg, "leads to "+outside) || !strings.Contains(ce.Fix, "--allow-outside") {
				t.Fatalf("err = %v", err)
			}
			if _, err := Load(Options{Dir: root, Getenv: func(string) string { return "" }, AllowOutside: []string{outside}}); err != nil {
				t.Fatalf("with --allow-outside %s: %v", outside, err)
			}
		})
	}
}

func TestParseSource(t *testing.T) {
	root := t.TempDir()
	real, _ := filepath.EvalSymlinks(root)
	tests := []struct {
		src  string
		kind SourceKind
		get  string
		path string
		sum  string
	}{
		{src: "./seed.sql", kind: LocalSource, path: filepath.Join(real, "seed.sql")},
		{src: "github.com/org/repo", kind: LocalSource, path: filepath.Join(real, "github.com/org/repo")}, // a plain string stays a path
		{src: "file://" + filepath.Join(real, "data"), kind: LocalSource, path: filepath.Join(real, "data")},
		{src: "git::./repo//sub?ref=v1", kind: GitSource, path: filepath.Join(real, "repo"), get: "git::file://" + filepath.ToSlash(filepath.Join(real, "repo")) + "//sub?ref=v1"},
		{src: "git::https://example.org/r.git?ref=v1", kind: GitSource, get: "git::https://example.org/r.git?ref=v1"},
		{src: "GIT::ssh://git@example.org/r.git", kind: GitSource, get: "git::ssh://git@example.org/r.git"},
		{src: "https://example.org/a.zip?checksum=sha256:" + strings.Repeat("A", 64), kind: HTTPSource, get: "https://example.org/a.zip?checksum=sha256:" + strings.Repeat("A", 64), sum: "sha256:" + strings.Repeat("a", 64)},
		{src: "https://example.org/a.zip?checksum=sha512:" + strings.Repeat("0", 128), kind: HTTPSource, get: "https://example.org/a.zip?checksum=sha512:" + strings.Repeat("0", 128), sum: "sha512:" + strings.Repeat("0", 128)},
		{src: "https://example.org/a.zip?x=checksum=sha256:" + strings.Repeat("0", 64), kind: HTTPSource, get: "https://example.org/a.zip?x=checksum=sha256:" + strings.Repeat("0", 64)}, // not a checksum parameter
	}
	for _, tt := range tests {
		s, err := ParseSource(Confine{Root: root}, tt.src)
		if err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		if s.Kind != tt.kind || s.Get != tt.get || s.Path != tt.path || s.Checksum != tt.sum {
			t.Errorf("%s: got %+v", tt.src, *s)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://user:pw@example.org/a.tar.gz?checksum=sha256:ab", "https://REDACTED@example.org/a.tar.gz?checksum=sha256:ab"},
		{"git::ssh://git@example.org/r.git?sshkey=LS0tLS1CRUdJTg&ref=v1", "git::ssh://REDACTED@example.org/r.git?sshkey=REDACTED&ref=v1"},
		{"https://h/x?token=abc&access_token=d&key=e&password=f&secret=g&signature=h", "https://h/x?token=REDACTED&access_token=REDACTED&key=REDACTED&password=REDACTED&secret=REDACTED&signature=REDACTED"},
		{"https://b.s3.amazonaws.com/k?X-Amz-Credential=AK%2F1&X-Amz-Signature=ff&X-Amz-Date=2026&versionId=3", "https://b.s3.amazonaws.com/k?X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Date=REDACTED&versionId=3"},
		{"error downloading 'https://h/x?GITHUB_TOKEN=abc': 404", "error downloading 'https://h/x?GITHUB_TOKEN=REDACTED': 404"},
		{"./fixtures/sql", "./fixtures/sql"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q)\n = %q\nwant %q", tt.in, got, tt.want)
		}
	}
}
