package checks

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/config"
)

// BenchmarkDoctorVsSlowestProbe runs doctor on this machine's real tools and engine and
// compares its wall time with the slowest probe it runs, timed alone in the same
// iteration. Target (issue 2): doctor takes no more than 1.2 × its slowest probe.
// Reported: doctor-ms and slowest-probe-ms (medians), and ratio (median of per-iteration
// ratios).
func BenchmarkDoctorVsSlowestProbe(b *testing.B) {
	cfg, err := config.Load(config.Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	h := realHost(os.Getenv)
	info := connectedInfo(os.Getenv)
	var doctor, slowest, ratios []float64
	slowName := ""
	for b.Loop() {
		worst, worstName := time.Duration(0), ""
		for _, t := range cfg.Tools {
			start := time.Now()
			probeTool(ctx, t, DefaultTimeout, h)
			if d := time.Since(start); d > worst {
				worst, worstName = d, t.Name
			}
		}
		start := time.Now()
		_, _ = info(ctx)
		if d := time.Since(start); d > worst {
			worst, worstName = d, "docker-daemon"
		}
		start = time.Now()
		Doctor(ctx, cfg, Options{})
		took := time.Since(start)
		doctor = append(doctor, ms(took))
		slowest = append(slowest, ms(worst))
		ratios = append(ratios, float64(took)/float64(worst))
		slowName = worstName
	}
	b.ReportMetric(median(doctor), "doctor-ms")
	b.ReportMetric(median(slowest), "slowest-probe-ms")
	b.ReportMetric(median(ratios), "ratio")
	b.Logf("slowest probe in the last iteration: %s", slowName)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

// BenchmarkDoctorParallelism isolates doctor's own scheduling from CPU saturation: eight
// fake tools that each wait 300 ms without using CPU. Run one after the other they take
// 2.4 s; doctor should take about one of them. Reported: doctor-ms and ratio to 300 ms.
func BenchmarkDoctorParallelism(b *testing.B) {
	dir := b.TempDir()
	answers := map[string]string{
		"python3": "Python 3.12.1", "pipenv": "pipenv, version 2024.4.0", "node": "v20.1.0", "npm": "10.2.0",
		"docker": "Docker version 28.2.2, build e6534b4", "magick": "Version: ImageMagick 7.1.2-10 Q16", "git": "git version 2.45.0",
	}
	for name, answer := range answers {
		script := "#!/bin/sh\n/bin/sleep 0.3\necho '" + answer + "'\n"
		if name == "docker" {
			script = "#!/bin/sh\n/bin/sleep 0.3\ncase \"$1\" in compose) echo 'Docker Compose version v2.30.0';; *) echo '" + answer + "';; esac\n"
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
			b.Fatal(err)
		}
	}
	b.Setenv("PATH", dir)
	cfg, err := config.Load(config.Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	var took []float64
	for b.Loop() {
		start := time.Now()
		r := Doctor(context.Background(), cfg, Options{})
		took = append(took, ms(time.Since(start)))
		if r.Checks[0].Status != "ok" {
			b.Fatalf("python: %+v", r.Checks[0])
		}
	}
	b.ReportMetric(median(took), "doctor-ms")
	b.ReportMetric(median(took)/300, "ratio")
}
