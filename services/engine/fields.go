package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
)

// LabelFields holds a short hash of each part of the spec a container was made from
// (image, command, ports, each env key, …), so that status can say what changed and not
// only that something did. Values are hashed with the container's name and cut to 24
// bits: enough to notice a change, too little to confirm a guessed password.
const LabelFields = "dev.devstack.fields"

// Fields are the spec's parts, each as a short hash, by name: "image", "cmd", "ports",
// "volume", "mount", "ulimits", "network", "hostname", "alias", "labels", and "env KEY"
// for each environment variable.
func (s ContainerSpec) Fields() map[string]string {
	h := func(v any) string {
		data, _ := json.Marshal(v) // strings, ints, slices and maps always encode
		sum := sha256.Sum256(append([]byte(s.Name+"\x00"), data...))
		return hex.EncodeToString(sum[:3])
	}
	labels := map[string]string{}
	for k, v := range s.Labels {
		if k != LabelSpec && k != LabelDegraded && k != LabelFields {
			labels[k] = v
		}
	}
	out := map[string]string{
		"image": h(s.Image), "cmd": h(s.Cmd), "ports": h(s.Ports), "volume": h(s.Volume),
		"mount": h(s.Mount), "ulimits": h(s.Ulimits), "network": h(s.Network),
		"hostname": h(s.Hostname), "alias": h(s.Alias), "labels": h(labels),
	}
	for k, v := range s.Env {
		out["env "+k] = h(v)
	}
	return out
}

// FieldsLabel is Fields as the value of LabelFields.
func (s ContainerSpec) FieldsLabel() string {
	data, _ := json.Marshal(s.Fields())
	return string(data)
}

// ChangedFields names what differs between the fields a container was labelled with and
// the spec wanted now, in order ("env POSTGRES_PASSWORD", "image", …). It returns nil when
// the label is missing or unreadable (a container made before the label existed).
func ChangedFields(label string, want ContainerSpec) []string {
	var had map[string]string
	if label == "" || json.Unmarshal([]byte(label), &had) != nil {
		return nil
	}
	now := want.Fields()
	var changed []string
	for k, v := range now {
		if had[k] != v {
			changed = append(changed, k)
		}
	}
	for k := range had {
		if _, ok := now[k]; !ok {
			changed = append(changed, k)
		}
	}
	slices.SortFunc(changed, func(a, b string) int {
		// Whole parts first, then env keys, each in name order.
		if ea, eb := strings.HasPrefix(a, "env "), strings.HasPrefix(b, "env "); ea != eb {
			if ea {
				return 1
			}
			return -1
		}
		return strings.Compare(a, b)
	})
	return changed
}
