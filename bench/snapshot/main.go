// Command snapshot measures devstack snapshot save and restore on this machine, by hand
// (not in CI), side by side with the plain way to do the same:
//
//	go run ./bench/snapshot -rounds 3
//
// The stack is PostgreSQL, Redis and MinIO holding about 200 MB (a 100 MB table, 50 MB of
// keys, 50 MB of random objects). Each round times:
//
//   - save: devstack snapshot save NAME (stop, copy, start, wait for every probe);
//   - baseline save: docker stop the three containers, `tar -c | zstd` each volume through a
//     helper container of the service's image, start them and wait with the same probes
//     (devstack up, which only starts and waits);
//   - restore: devstack snapshot restore NAME;
//   - baseline restore: stop, empty each volume and `zstd -d | tar -x` it back through a helper
//     container, start and wait the same way.
//
// It prints each median and the ratio devstack/baseline (goal: at most 1.3). Set
// DEVSTACK_IMAGE_<SERVICE> as for the tests (offline images on this machine).
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/plan"
)

func main() {
	rounds := flag.Int("rounds", 3, "how many rounds")
	offset := flag.Int("offset", 27100, "port offset, away from any running stack")
	flag.Parse()
	if err := run(*rounds, *offset); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

var services = []string{"postgres", "redis", "minio"}

type bench struct {
	dir, bin, data, id string
	env                []string
}

func (b *bench) devstack(args ...string) (string, error) {
	cmd := exec.Command(b.bin, args...)
	cmd.Dir, cmd.Env = b.dir, b.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("devstack %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

func sh(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

func run(rounds, offset int) error {
	dir, err := os.MkdirTemp("", "devstack-bench-snapshot-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	b := &bench{dir: dir, bin: filepath.Join(dir, "devstack"), data: filepath.Join(dir, "data")}
	b.env = append(os.Environ(), "XDG_DATA_HOME="+b.data)
	if out, err := exec.Command("go", "build", "-o", b.bin, "./cmd/devstack").CombinedOutput(); err != nil {
		return fmt.Errorf("build: %v\n%s", err, out)
	}
	yaml := fmt.Sprintf("project: benchsnap\noffset: %d\nservices:\n  postgres:\n  redis:\n  minio:\n", offset)
	if err := os.WriteFile(filepath.Join(dir, "devstack.yaml"), []byte(yaml), 0o644); err != nil {
		return err
	}
	real, _ := filepath.EvalSymlinks(dir)
	b.id = config.DeriveIdentity("benchsnap", real).ID
	defer func() { _, _ = b.devstack("down", "--volumes") }()
	if _, err := b.devstack("up"); err != nil {
		return err
	}
	if err := b.fill(); err != nil {
		return err
	}
	var save, baseSave, restore, baseRestore []time.Duration
	for i := 0; i < rounds; i++ {
		name := fmt.Sprintf("r%d", i)
		t := time.Now()
		if _, err := b.devstack("snapshot", "save", name); err != nil {
			return err
		}
		save = append(save, time.Since(t))

		t = time.Now()
		if err := b.baselineSave(); err != nil {
			return err
		}
		baseSave = append(baseSave, time.Since(t))

		t = time.Now()
		if _, err := b.devstack("snapshot", "restore", name); err != nil {
			return err
		}
		restore = append(restore, time.Since(t))

		t = time.Now()
		if err := b.baselineRestore(); err != nil {
			return err
		}
		baseRestore = append(baseRestore, time.Since(t))
		fmt.Printf("round %d: save %.2fs (baseline %.2fs), restore %.2fs (baseline %.2fs)\n", i+1,
			save[i].Seconds(), baseSave[i].Seconds(), restore[i].Seconds(), baseRestore[i].Seconds())
		if _, err := b.devstack("snapshot", "rm", name); err != nil {
			return err
		}
	}
	size, _ := dirSize(filepath.Join(dir, "tar"))
	fmt.Printf("baseline archives: %.1f MB\n", float64(size)/1e6)
	ms, mb, mr, mbr := median(save), median(baseSave), median(restore), median(baseRestore)
	fmt.Printf("median save     %.2fs, baseline %.2fs, ratio %.2f\n", ms.Seconds(), mb.Seconds(), ms.Seconds()/mb.Seconds())
	fmt.Printf("median restore  %.2fs, baseline %.2fs, ratio %.2f\n", mr.Seconds(), mbr.Seconds(), mr.Seconds()/mbr.Seconds())
	return nil
}

// fill writes ~200 MB: 100 MB of table rows, 50 MB of Redis values, 50 MB of random objects.
func (b *bench) fill() error {
	pg := plan.ContainerName(b.id, "postgres")
	if err := sh("docker", "exec", pg, "sh", "-c", `psql -q -U "$POSTGRES_USER" -d "$POSTGRES_DB" -c "CREATE TABLE big AS SELECT md5(random()::text) || md5(random()::text) AS v FROM generate_series(1, 1000000)"`); err != nil {
		return err
	}
	rd := plan.ContainerName(b.id, "redis")
	lua := `for i=1,50000 do local s=redis.sha1hex(tostring(i)) redis.call('SET','k'..i,string.rep(s,25)) end return 1`
	if err := sh("docker", "exec", rd, "sh", "-c", `redis-cli --no-auth-warning -a "$REDIS_PASSWORD" EVAL "`+lua+`" 0`); err != nil {
		return err
	}
	env, err := b.devstack("env", "--format", "dotenv")
	if err != nil {
		return err
	}
	vals := map[string]string{}
	for _, line := range strings.Split(env, "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			vals[k] = strings.Trim(v, `'"`)
		}
	}
	mc, err := minio.New(strings.TrimPrefix(vals["S3_ENDPOINT_URL"], "http://"), &minio.Options{Creds: credentials.NewStaticV4(vals["S3_ACCESS_KEY_ID"], vals["S3_SECRET_ACCESS_KEY"], "")})
	if err != nil {
		return err
	}
	buf := make([]byte, 5<<20)
	for i := 0; i < 10; i++ {
		_, _ = rand.Read(buf)
		if _, err := mc.PutObject(context.Background(), vals["S3_BUCKET"], fmt.Sprintf("o%d", i), bytes.NewReader(buf), int64(len(buf)), minio.PutObjectOptions{}); err != nil {
			return fmt.Errorf("minio put: %w", err)
		}
	}
	return nil
}

// image and volume of a service as the stack runs it now (a restore moves the volume).
func (b *bench) mount(svc string) (image, volume, at string, err error) {
	out, err := exec.Command("docker", "inspect", "-f", `{{.Config.Image}} {{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{.Destination}}{{end}}{{end}}`, plan.ContainerName(b.id, svc)).Output()
	if err != nil {
		return "", "", "", fmt.Errorf("inspect %s: %v", svc, err)
	}
	f := strings.Fields(string(out))
	if len(f) < 3 {
		return "", "", "", fmt.Errorf("%s has no volume: %s", svc, out)
	}
	return f[0], f[1], f[2], nil
}

func (b *bench) stopAll() error {
	args := []string{"stop", "-t", "60"}
	for _, s := range services {
		args = append(args, plan.ContainerName(b.id, s))
	}
	return sh("docker", args...)
}

func (b *bench) baselineSave() error {
	if err := b.stopAll(); err != nil {
		return err
	}
	tarDir := filepath.Join(b.dir, "tar")
	if err := os.MkdirAll(tarDir, 0o755); err != nil {
		return err
	}
	for _, s := range services {
		img, vol, _, err := b.mount(s)
		if err != nil {
			return err
		}
		file := filepath.Join(tarDir, s+".tar.zst")
		script := fmt.Sprintf("docker run --rm -v %s:/v:ro --entrypoint tar %s -C /v -cf - . | zstd -q -f -o %s", vol, img, file)
		if err := sh("sh", "-c", script); err != nil {
			return err
		}
	}
	_, err := b.devstack("up")
	return err
}

func (b *bench) baselineRestore() error {
	if err := b.stopAll(); err != nil {
		return err
	}
	for _, s := range services {
		img, vol, _, err := b.mount(s)
		if err != nil {
			return err
		}
		file := filepath.Join(b.dir, "tar", s+".tar.zst")
		script := fmt.Sprintf("zstd -q -dc %s | docker run --rm -i -v %s:/v --entrypoint sh %s -c 'find /v -mindepth 1 -delete && tar -C /v -xpf -'", file, vol, img)
		if err := sh("sh", "-c", script); err != nil {
			return err
		}
	}
	_, err := b.devstack("up")
	return err
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n += info.Size()
		}
		return err
	})
	return n, err
}
