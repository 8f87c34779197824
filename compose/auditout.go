package compose

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/devstack-dev/devstack/output"
)

// WriteText lists each finding as file:line:col, its severity and rule, the fix, and the
// related locations.
func (r *AuditReport) WriteText(w *output.TextWriter) {
	counts := map[string]int{}
	for _, f := range r.Findings {
		counts[f.Severity]++
		st := output.Skip
		switch f.Severity {
		case SevError:
			st = output.Fail
		case SevWarning:
			st = output.Warn
		}
		w.Line(fmt.Sprintf("%s:%d:%d: %s %s (%s): %s", f.File, f.Line, f.Column, w.Paint(st, f.Severity), f.Rule, f.Name, f.Message))
		w.Line("  fix: " + f.Fix)
		for _, rel := range f.Related {
			w.Line(fmt.Sprintf("  related: %s:%d:%d: %s", rel.File, rel.Line, rel.Column, rel.Message))
		}
	}
	if len(r.Findings) == 0 {
		w.Item(output.OK, r.File+": no findings")
		return
	}
	w.Line(fmt.Sprintf("%s: %d errors, %d warnings, %d notes (fails on %s)", r.File, counts[SevError], counts[SevWarning], counts[SevNote], r.FailOn))
}

// SARIF is the report as a SARIF 2.1.0 log, the format GitHub code scanning reads.
type SARIF struct{ *AuditReport }

// WriteText is never used: SARIF is JSON only.
func (s SARIF) WriteText(w *output.TextWriter) { s.AuditReport.WriteText(w) }

// MarshalJSON writes the SARIF log.
func (s SARIF) MarshalJSON() ([]byte, error) {
	type msg struct {
		Text string `json:"text"`
	}
	type region struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
	}
	type artifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId"`
	}
	type physical struct {
		ArtifactLocation artifact `json:"artifactLocation"`
		Region           region   `json:"region"`
	}
	type location struct {
		ID               *int     `json:"id,omitempty"`
		PhysicalLocation physical `json:"physicalLocation"`
		Message          *msg     `json:"message,omitempty"`
	}
	type result struct {
		RuleID           string     `json:"ruleId"`
		RuleIndex        int        `json:"ruleIndex"`
		Level            string     `json:"level"`
		Message          msg        `json:"message"`
		Locations        []location `json:"locations"`
		RelatedLocations []location `json:"relatedLocations,omitempty"`
	}
	type ruleDesc struct {
		ID                   string `json:"id"`
		Name                 string `json:"name"`
		ShortDescription     msg    `json:"shortDescription"`
		Help                 msg    `json:"help"`
		DefaultConfiguration struct {
			Level string `json:"level"`
		} `json:"defaultConfiguration"`
	}
	loc := func(l Loc) physical {
		return physical{ArtifactLocation: artifact{URI: filepath.ToSlash(l.File), URIBaseID: "%SRCROOT%"},
			Region: region{StartLine: max(l.Line, 1), StartColumn: max(l.Column, 1)}}
	}
	rules := make([]ruleDesc, len(Rules))
	index := map[string]int{}
	for i, r := range Rules {
		rules[i] = ruleDesc{ID: r.ID, Name: r.Name, ShortDescription: msg{r.Text}, Help: msg{r.Fix}}
		rules[i].DefaultConfiguration.Level = r.Severity
		index[r.ID] = i
	}
	results := []result{}
	for _, f := range s.Findings {
		res := result{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: f.Severity,
			Message: msg{f.Message + ". Fix: " + f.Fix}, Locations: []location{{PhysicalLocation: loc(f.Loc)}}}
		for i, rel := range f.Related {
			id := i + 1
			res.RelatedLocations = append(res.RelatedLocations, location{ID: &id, PhysicalLocation: loc(rel), Message: &msg{rel.Message}})
		}
		results = append(results, res)
	}
	log := map[string]any{
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"version": "2.1.0",
		"runs": []any{map[string]any{
			"tool": map[string]any{"driver": map[string]any{
				"name": "devstack", "informationUri": "https://github.com/devstack-dev/devstack", "rules": rules,
			}},
			"results": results,
		}},
	}
	return json.Marshal(log)
}
