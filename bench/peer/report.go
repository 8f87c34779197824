package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// Round is one round's runs; in up mode the first is testcontainers-go, the yardstick of
// the ratios, and in down mode docker-compose down.
type Round struct {
	N    int   `json:"round"`
	Runs []Run `json:"runs"`
}

// Result is the whole measurement: each round, then per side the medians of each service
// and of the total, and the ratio of the total's median to the yardstick's.
type Result struct {
	Mode    string   `json:"mode"`
	Rounds  []Round  `json:"rounds"`
	Medians []Median `json:"medians"`
}

type Median struct {
	Side     string             `json:"side"`
	Services map[string]float64 `json:"services,omitempty"`
	All      float64            `json:"all"`
	Ratio    float64            `json:"ratio"` // All over the yardstick's All
}

func (r *Result) summarise() {
	sides := len(r.Rounds[0].Runs)
	for i := range sides {
		m := Median{Side: r.Rounds[0].Runs[i].Side, Services: map[string]float64{}}
		var all []float64
		per := map[string][]float64{}
		for _, round := range r.Rounds {
			run := round.Runs[i]
			all = append(all, run.All)
			for s, v := range run.Services {
				per[s] = append(per[s], v)
			}
		}
		m.All = median(all)
		for s, vs := range per {
			m.Services[s] = median(vs)
		}
		r.Medians = append(r.Medians, m)
	}
	for i := range r.Medians {
		r.Medians[i].Ratio = r.Medians[i].All / r.Medians[0].All
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func (r *Result) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// writeTable prints one row per run and per median, seconds from each command's exec;
// the ratio is the run's total over the yardstick's in the same round.
func (r *Result) writeTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	total := "all-ready"
	head := []string{"round", "side"}
	if r.Mode == "up" {
		head = append(head, serviceNames...)
	} else {
		total = "down"
	}
	head = append(head, total, "ratio")
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	row := func(label, side string, services map[string]float64, all, ratio float64) {
		cells := []string{label, side}
		if r.Mode == "up" {
			for _, s := range serviceNames {
				cells = append(cells, fmt.Sprintf("%.2f", services[s]))
			}
		}
		cells = append(cells, fmt.Sprintf("%.2f", all), fmt.Sprintf("%.2f", ratio))
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	for _, round := range r.Rounds {
		for _, run := range round.Runs {
			row(fmt.Sprint(round.N), run.Side, run.Services, run.All, run.All/round.Runs[0].All)
		}
	}
	for _, m := range r.Medians {
		row("median", m.Side, m.Services, m.All, m.Ratio)
	}
	tw.Flush()
	fmt.Fprintf(w, "seconds from each command's exec; ratio: over %s (per round; for medians, of medians)\n", r.Medians[0].Side)
}
