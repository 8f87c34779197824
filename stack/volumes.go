package stack

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/services/engine"
)

// imageMajor is the major version of the unit's image as the engine has it: what its
// environment, tag or labels declare (0 when none does).
func imageMajor(u plan.Unit, img *engine.Image) int {
	versionEnv := ""
	if u.Service.Upgrade != nil {
		versionEnv = u.Service.Upgrade.VersionEnv
	}
	var env, labels map[string]string
	if img != nil {
		env, labels = img.Env, img.Labels
	}
	return services.Major(services.ImageVersion(u.Spec.Image, env, labels, versionEnv))
}

// VersionMismatch is one service whose data was written by another major version.
type VersionMismatch struct {
	Service   string `json:"service"`
	Volume    string `json:"volume"`
	Image     string `json:"image"`
	Major     int    `json:"major"`
	DataMajor int    `json:"data_major"`
	DataImage string `json:"data_image,omitempty"` // the image that wrote it, when known
	env       string
	move      string
}

// VersionMismatchError refuses up before anything is created or started: a service's
// volume holds data that its configured image's major version cannot read.
type VersionMismatchError struct{ Mismatches []VersionMismatch }

func (e *VersionMismatchError) Error() string {
	var parts []string
	for _, m := range e.Mismatches {
		by := ""
		if m.DataImage != "" {
			by = " (" + m.DataImage + ")"
		}
		parts = append(parts, fmt.Sprintf("%s: volume %s holds data written by major version %d%s, but the configured image %s is major version %d; "+
			"the on-disk format differs between majors, so %s %d cannot use that data (it refuses to start, or worse)",
			m.Service, m.Volume, m.DataMajor, by, m.Image, m.Major, m.Service, m.Major))
	}
	return strings.Join(parts, "; ")
}

// Hint lists the three ways out: keep the old image, start empty, or carry the data over.
func (e *VersionMismatchError) Hint() string {
	var lines []string
	for _, m := range e.Mismatches {
		keep := fmt.Sprintf("pin an image of major version %d: image: IMAGE under %s in devstack.yaml, or %s=IMAGE", m.DataMajor, m.Service, m.env)
		if m.DataImage != "" {
			keep = fmt.Sprintf("pin the image that wrote it: image: %s under %s in devstack.yaml, or %s=%s", m.DataImage, m.Service, m.env, m.DataImage)
		}
		lines = append(lines, fmt.Sprintf("%s: keep the data: %s;\nor start empty: devstack down --volumes %s (deletes its data);\nor %s",
			m.Service, keep, m.Service, m.move))
	}
	return strings.Join(lines, "\n")
}

// dataMajor is the major version that wrote a volume, and the image, when known.
type dataMajor struct {
	major int
	image string
}

// checkVolumes compares each stateful service's volume with its image's major, before
// anything is created. A volume labelled by devstack says which major made it; an older
// one is read where the service leaves its version on disk, or judged by the image of
// the container devstack made last. What cannot be told is accepted with a warning.
func checkVolumes(ctx context.Context, eng Engine, units []plan.Unit, vols []*engine.Volume, images map[string]*engine.Image, have []*engine.Container) (map[string][]string, error) {
	warnings := map[string][]string{}
	var mismatches []VersionMismatch
	for i, u := range units {
		up := u.Service.Upgrade
		vol := vols[i]
		if vol == nil || up == nil {
			continue // no volume yet: labelled when made
		}
		want := imageMajor(u, images[u.Spec.Image])
		if want == 0 {
			continue // the image declares no version: nothing to compare with
		}
		data, err := volumeMajor(ctx, eng, u, vol, want, have[i])
		if err != nil {
			return nil, err
		}
		if data.major == 0 {
			warnings[u.Name()] = append(warnings[u.Name()], fmt.Sprintf(
				"cannot tell which version of %s wrote volume %s (made before devstack labelled its volumes); "+
					"if %s fails to start, read devstack logs %s", u.Name(), vol.Name, u.Name(), u.Name()))
			continue
		}
		if data.major != want {
			mismatches = append(mismatches, VersionMismatch{Service: u.Name(), Volume: vol.Name, Image: u.Spec.Image,
				Major: want, DataMajor: data.major, DataImage: data.image, env: u.Service.ImageEnv(), move: up.Move(u.Spec.Name)})
		}
	}
	if len(mismatches) > 0 {
		return warnings, &VersionMismatchError{Mismatches: mismatches}
	}
	return warnings, nil
}

// volumeMajor is the major that wrote vol; want is the configured image's.
func volumeMajor(ctx context.Context, eng Engine, u plan.Unit, vol *engine.Volume, want int, have *engine.Container) (dataMajor, error) {
	if m := services.Major(vol.Labels[engine.LabelMajor]); m > 0 {
		return dataMajor{major: m, image: vol.Labels[engine.LabelImage]}, nil
	}
	if files := u.Service.Upgrade.VersionFiles; files != nil {
		_, data, err := eng.ReadVolumeFile(ctx, u.Spec.Image, vol.Name, files(want), unitLabels(u))
		switch {
		case err == nil:
			if m := services.Major(string(data)); m > 0 {
				return dataMajor{major: m}, nil
			}
		case errors.Is(err, engine.ErrNotFound):
			// an empty volume, or not the service's layout: fall through
		default:
			return dataMajor{}, err
		}
	}
	if have != nil && have.Image != "" {
		img, err := eng.Image(ctx, have.Image)
		if err == nil {
			prev := u
			prev.Spec.Image = have.Image
			if m := imageMajor(prev, img); m > 0 {
				return dataMajor{major: m, image: have.Image}, nil
			}
		}
	}
	return dataMajor{}, nil
}

// inspectVolumes looks up each unit's volume once, for every check up makes of them
// (nil where the unit keeps none, or it does not exist yet); up holds the project's
// lock, so they do not change between the checks.
func inspectVolumes(ctx context.Context, eng Engine, units []plan.Unit) ([]*engine.Volume, error) {
	vols := make([]*engine.Volume, len(units))
	for i, u := range units {
		if u.Spec.Volume == "" {
			continue
		}
		vol, err := eng.Volume(ctx, u.Spec.Volume)
		if errors.Is(err, engine.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		vols[i] = vol
	}
	return vols, nil
}

// checkForeignVolumes refuses a same-named volume devstack did not make for the service:
// it holds someone else's data, and is never mounted.
func checkForeignVolumes(units []plan.Unit, vols []*engine.Volume) error {
	for i, u := range units {
		if vol := vols[i]; vol != nil && (vol.Labels[engine.LabelProject] != projectOf(u) || vol.Labels[engine.LabelService] != u.Name()) {
			return &engine.ForeignError{Kind: "volume", Name: vol.Name, Project: projectOf(u)}
		}
	}
	return nil
}

func projectOf(u plan.Unit) string { return u.Spec.Labels[engine.LabelProject] }

// unitLabels mark an object as the unit's: its checkout's identity, name and path, and
// the service, as the plan labelled its container.
func unitLabels(u plan.Unit) map[string]string {
	l := map[string]string{engine.LabelService: u.Name()}
	for _, k := range []string{engine.LabelProject, engine.LabelName, engine.LabelCheckout} {
		if v, ok := u.Spec.Labels[k]; ok {
			l[k] = v
		}
	}
	return l
}

// volumeLabels mark a new volume as the service's, with the image and major that made it.
func volumeLabels(u plan.Unit, major int) map[string]string {
	l := unitLabels(u)
	l[engine.LabelImage] = u.Spec.Image
	if u.Credentials != "" {
		l[engine.LabelCredentials] = u.Credentials
	}
	if major > 0 {
		l[engine.LabelMajor] = strconv.Itoa(major)
	}
	return l
}
