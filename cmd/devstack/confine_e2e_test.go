//go:build e2e

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/devstack-dev/devstack/internal/testenv"
)

// Hostile repositories, issue 18 rows 2, 5, 6 and the init row (rules 3, 4 and 5: no
// ambient authority, nothing in VCS metadata, all or nothing). They sit beside
// TestHostileRepositoryIsRefused and assert the same way: the fake HOME unchanged, no
// marker file, no canary printed or sent.

const userCanary = "canary-5d2c-users-own-secret"

// canaryHome is a victim's home holding the canary where devstack's clients would find
// it on their own: ~/.pgpass, ~/.ssh, ~/.netrc, ~/.gitconfig, ~/.aws.
func canaryHome(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	for p, data := range map[string]string{
		".pgpass":          "*:*:*:*:" + userCanary + "\n",
		".ssh/id_ed25519":  "-----BEGIN OPENSSH PRIVATE KEY-----\n" + userCanary + "\n",
		".netrc":           "machine 127.0.0.1 login u password " + userCanary + "\n",
		".aws/credentials": "[default]\naws_access_key_id = " + userCanary + "\naws_secret_access_key = " + userCanary + "\n",
		".gitconfig":       "[user]\n\tname = victim\n",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(home, p)), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(home, p), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return home
}

// canaryEnv points the variables devstack's clients would read at the canary.
func canaryEnv(home string) []string {
	return []string{"HOME=" + home, "PGPASSWORD=" + userCanary, "PGPASSFILE=" + filepath.Join(home, ".pgpass"),
		"AWS_ACCESS_KEY_ID=" + userCanary, "AWS_SECRET_ACCESS_KEY=" + userCanary, "MYSQL_PWD=" + userCanary,
		"GIT_ASKPASS=/bin/false", "GIT_CONFIG_PARAMETERS='credential.helper'='!echo password=" + userCanary + "'"}
}

func gitIn(t *testing.T, dir, home string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+home, "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// Row 2: a repository that ships .env (or env_file) as a link into git's metadata is
// refused at load by every command; git's config is untouched and git status runs nothing.
func TestHostileEnvLinkIntoGit(t *testing.T) {
	testenv.Git(t)
	home := canaryHome(t)
	for _, tt := range []struct{ name, yaml, link, target string }{
		{"the default .env links to .git/config", "", ".env", ".git/config"},
		{"the default .env links to a hook not yet there", "", ".env", ".git/hooks/post-checkout"},
		{"env_file links to .git/config by an absolute path", "env_file: settings.env\n", "settings.env", "{{DIR}}/.git/config"},
		{"env_file links into .GIT (case)", "env_file: settings.env\n", "settings.env", ".GIT/config"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			gitIn(t, dir, home, "init", "-q")
			if err := os.MkdirAll(filepath.Join(dir, ".GIT"), 0o755); err != nil {
				t.Fatal(err)
			}
			yaml := "project: hostile\nservices: {redis: {}}\n" + tt.yaml
			if err := os.WriteFile(filepath.Join(dir, "devstack.yaml"), []byte(yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(strings.ReplaceAll(tt.target, "{{DIR}}", dir), filepath.Join(dir, tt.link)); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, home, filepath.Join(dir, ".git"), filepath.Join(dir, ".GIT"))
			for _, args := range [][]string{{"bootstrap", "--skip-doctor"}, {"up"}, {"env"}, {"fixtures"}} {
				r := invocation{dir: dir, extraEnv: []string{"HOME=" + home}}.run(t, args...)
				if r.code != 2 || !strings.Contains(r.stderr, "env_file") || !strings.Contains(r.stderr, "version-control metadata") || !strings.Contains(r.stderr, "fix:") {
					t.Errorf("devstack %s: exit %d, want 2 naming env_file and the metadata, with a fix:\n%s", strings.Join(args, " "), r.code, r.stderr)
				}
			}
			sameSnapshot(t, before, snapshot(t, home, filepath.Join(dir, ".git"), filepath.Join(dir, ".GIT")))
			// git still reads its configuration: devstack's KEY=value lines in it would
			// make git status fail (or, with the repository's value, run its command).
			gitIn(t, dir, home, "status", "--short")
			if _, err := os.Stat(filepath.Join(dir, ".devstack")); err == nil {
				t.Error("a refused command left state behind in the project")
			}
		})
	}
}

// The init row: whichever of init's two files cannot be written, init writes neither.
func TestHostileInitLeavesTheProjectAsItWas(t *testing.T) {
	home, outside := victimHome(t)
	for _, tt := range []struct{ name, link, target string }{
		{".gitignore links out of the project", ".gitignore", "{{OUT}}/victim.env"},
		{".gitignore links into .git", ".gitignore", ".git/info/exclude"},
		{"devstack.yaml links out of the project (with --force)", "devstack.yaml", "{{OUT}}/victim.env"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, ".git", "info"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, ".git", "info", "exclude"), []byte("# git's\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(strings.ReplaceAll(tt.target, "{{OUT}}", outside), filepath.Join(dir, tt.link)); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, home, outside, dir)
			r := invocation{dir: dir, extraEnv: []string{"HOME=" + home}}.run(t, "init", "--force")
			if r.code == 0 || !strings.Contains(r.stderr, "fix:") {
				t.Errorf("init: exit %d, want a refusal with a fix:\n%s%s", r.code, r.stdout, r.stderr)
			}
			sameSnapshot(t, before, snapshot(t, home, outside, dir))
		})
	}
}

// Row 5: a git fixture source whose subdirectory is a link to ~/.ssh, or holds one, loads
// nothing from outside its own clone: the key never reaches MinIO, nor the output.
func TestHostileGitFixtureSubdirLinkOut(t *testing.T) {
	testenv.Git(t)
	home := canaryHome(t)
	p := newStackProject(t, "services:\n  minio:\nfixtures:\n"+
		"  - {name: keys, service: minio, source: \"git::./repo//keys\"}\n"+
		"  - {name: deeper, service: minio, source: \"git::./repo//data\"}\n")
	repo := filepath.Join(p.dir, "repo")
	if err := os.MkdirAll(filepath.Join(repo, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, "data", "readme.txt"), []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"keys": filepath.Join(home, ".ssh"), "data/ssh": filepath.Join(home, ".ssh")} {
		if err := os.Symlink(target, filepath.Join(repo, link)); err != nil {
			t.Fatal(err)
		}
	}
	gitIn(t, repo, home, "init", "-q")
	gitIn(t, repo, home, "add", "-A")
	gitIn(t, repo, home, "commit", "-q", "-m", "fixtures")
	before := snapshot(t, home)

	r := invocation{dir: p.dir, extraEnv: canaryEnv(home)}.run(t, "bootstrap", "--skip-doctor")
	if r.code != 1 {
		t.Fatalf("bootstrap: exit %d, want 1 (the fixtures refused)\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	if strings.Contains(out, userCanary) {
		t.Fatalf("the user's key was printed:\n%s", out)
	}
	if !strings.Contains(out, "outside what was fetched") || !strings.Contains(out, "symlink") {
		t.Errorf("the refusals do not say why:\n%s", out)
	}
	env := p.env()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	mc := minioClient(t, env)
	buckets, err := mc.ListBuckets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range buckets {
		for obj := range mc.ListObjects(ctx, b.Name, minio.ListObjectsOptions{Recursive: true}) {
			if obj.Err != nil {
				t.Fatal(obj.Err)
			}
			o, err := mc.GetObject(ctx, b.Name, obj.Key, minio.GetObjectOptions{})
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(o)
			o.Close()
			if strings.Contains(string(data), userCanary) || strings.Contains(obj.Key, "id_ed25519") {
				t.Errorf("MinIO holds the user's key: %s/%s", b.Name, obj.Key)
			}
		}
	}
	sameSnapshot(t, before, snapshot(t, home))
}

// Row 6: a custom service with a postgres probe that names no password. The server (the
// offline PostgreSQL image) accepts exactly the canary — the password of the user's
// ~/.pgpass and PGPASSWORD — so a probe that lent it would make the service ready. It must
// not: the probe is refused, and given the canary in devstack.yaml the same server is
// ready, which proves the check could see a leak.
func TestHostilePostgresProbeGetsNoUserPassword(t *testing.T) {
	img := os.Getenv("DEVSTACK_IMAGE_POSTGRES")
	if img != "" {
		t.Setenv("DEVSTACK_IMAGE_DB", img)
	}
	home := canaryHome(t)
	service := func(password string) string {
		probe := "{postgres: {user: postgres, database: postgres}}"
		if password != "" {
			probe = fmt.Sprintf("{postgres: {user: postgres, database: postgres, password: %q}}", password)
		}
		return fmt.Sprintf("services:\n  db:\n    image: postgres:16\n    ports:\n      - {name: postgres, container: 5432, host: 5632}\n"+
			"    env: {POSTGRES_PASSWORD: %q}\n    timeout: 60s\n    probe: %s\n", userCanary, probe)
	}
	p := newStackProject(t, service(""))
	before := snapshot(t, home)
	r := invocation{dir: p.dir, extraEnv: canaryEnv(home)}.run(t, "up")
	if r.code == 0 {
		t.Fatalf("up: the service became ready, so the probe sent the user's password\n%s%s", r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout+r.stderr, "refused devstack's credentials") {
		t.Errorf("up failed, but not on the credentials:\n%s%s", r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, userCanary) {
		t.Errorf("the canary was printed:\n%s%s", r.stdout, r.stderr)
	}
	sameSnapshot(t, before, snapshot(t, home))

	// The control: the server does accept the canary when devstack.yaml gives it.
	p.write(service(userCanary))
	if r := (invocation{dir: p.dir, extraEnv: canaryEnv(home)}).run(t, "up"); r.code != 0 {
		t.Fatalf("up with the password given: exit %d, so the test cannot tell a leak\n%s%s", r.code, r.stdout, r.stderr)
	}
}
