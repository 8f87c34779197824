package snapshot

import (
	"fmt"
	"strings"

	"github.com/devstack-dev/devstack/output"
)

// ListReport is the checkout's snapshots, oldest first.
type ListReport struct {
	Dir       string  `json:"dir"`
	Snapshots []Entry `json:"snapshots"`
}

// WriteText writes one line per snapshot and its services' images beneath.
func (r *ListReport) WriteText(w *output.TextWriter) {
	if len(r.Snapshots) == 0 {
		w.Line("no snapshots (in " + r.Dir + "); save one: devstack snapshot save NAME")
		return
	}
	for _, s := range r.Snapshots {
		if s.Error != "" {
			w.Item(output.Fail, fmt.Sprintf("%s  %s  does not verify: %s (remove it: devstack snapshot rm %s)", s.Name, humanBytes(s.Size), s.Error, s.Name))
			continue
		}
		var names, images []string
		for _, svc := range s.Services {
			names = append(names, svc.Name)
			images = append(images, svc.Name+"="+svc.Image)
		}
		git := ""
		if s.Git != nil {
			commit := s.Git.Commit
			if len(commit) > 12 {
				commit = commit[:12]
			}
			git = "  " + strings.Trim(s.Git.Branch+"@"+commit, "@")
		}
		w.Item(output.OK, fmt.Sprintf("%s  %s  %s  %s%s", s.Name, s.Created.Local().Format("2006-01-02 15:04"), humanBytes(s.Size), strings.Join(names, ","), git))
		w.Detail("images", strings.Join(images, " "))
	}
}

// RemoveReport is a removed snapshot.
type RemoveReport struct {
	Name    string `json:"name"`
	Removed bool   `json:"removed"`
}

// WriteText says it is gone.
func (r *RemoveReport) WriteText(w *output.TextWriter) {
	w.Item(output.OK, "removed snapshot "+r.Name)
}
