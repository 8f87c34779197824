// Command binsize says what a Go executable's bytes are made of: its size, then the
// packages (or modules) whose code and data take the most of it.
//
// It reads an ELF executable built WITH its symbol table (-ldflags=-w, not -s): a stripped
// binary has no symbols to attribute. The symbols' code and data are the same in the
// stripped build, which is only smaller by its symbol table (.symtab/.strtab are not
// loaded, so they are left out here).
//
// How a package's bytes are counted: the size of every symbol the package defines in a
// section that occupies the file (.text, .rodata, .data, …; never .bss), plus a share of
// the function metadata the linker writes for all functions together (.gopclntab, which
// holds go:func.*: names, PC-to-line and stack maps), divided in proportion to the
// package's machine code. That share is an estimate: metadata grows with a function's size
// roughly, not exactly. Itabs are counted for the package that names the type; type
// descriptors and string constants have no symbol of their own (the linker lists them as
// one range), so they are reported as one unattributed total: about 15% of the file.
package main

import (
	"debug/buildinfo"
	"debug/elf"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	top := flag.Int("top", 15, "how many rows to print")
	by := flag.String("by", "package", "group by package or module")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: binsize [-top N] [-by package|module] executable-with-symbols [stripped-executable]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() < 1 || flag.NArg() > 2 || (*by != "package" && *by != "module") {
		flag.Usage()
		os.Exit(2)
	}
	stripped := ""
	if flag.NArg() == 2 {
		stripped = flag.Arg(1)
	}
	if err := run(os.Stdout, flag.Arg(0), stripped, *by, *top); err != nil {
		fmt.Fprintln(os.Stderr, "binsize:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, path, stripped, by string, top int) error {
	r, err := measure(path)
	if err != nil {
		return err
	}
	if by == "module" {
		r.groups = byModule(r.groups, r.modules)
	}
	size := r.fileSize
	what := path + " (with symbols)"
	if stripped != "" {
		st, err := os.Stat(stripped)
		if err != nil {
			return err
		}
		size, what = st.Size(), stripped
	}
	fmt.Fprintf(w, "%s: %d bytes (%.1f MB)\n", what, size, float64(size)/1e6)
	fmt.Fprintf(w, "loaded sections %.1f MB = package symbols %.1f MB + function metadata %.1f MB (shared out by code size below)\n",
		mb(r.loaded), mb(r.attributed), mb(r.metadata))
	fmt.Fprintf(w, "  + %.1f MB not listed per package (type descriptors, string constants: not counted below)\n",
		mb(r.loaded-r.attributed-r.metadata))
	fmt.Fprintf(w, "\n%-62s %9s %9s %9s\n", "top "+by+"s", "code", "data", "est. MB")
	for i, g := range sorted(r.groups, r.metadata) {
		if i == top {
			break
		}
		fmt.Fprintf(w, "%-62s %9.2f %9.2f %9.2f\n", g.name, mb(g.text), mb(g.data), mb(g.total(r.metadata, r.text)))
	}
	return nil
}

func mb(n int64) float64 { return float64(n) / 1e6 }

// group is one package's (or module's) bytes: its machine code and everything else it
// defines (read-only data, type descriptors, variables).
type group struct {
	name       string
	text, data int64
}

// total adds the group's share of the function metadata, in proportion to its code.
func (g group) total(metadata, allText int64) int64 {
	if allText == 0 {
		return g.text + g.data
	}
	return g.text + g.data + metadata*g.text/allText
}

func sorted(groups map[string]group, metadata int64) []group {
	var text int64
	out := make([]group, 0, len(groups))
	for _, g := range groups {
		text += g.text
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].total(metadata, text), out[j].total(metadata, text)
		if a != b {
			return a > b
		}
		return out[i].name < out[j].name
	})
	return out
}

type result struct {
	fileSize             int64
	loaded               int64 // bytes of the sections that occupy the file and are loaded
	attributed, metadata int64
	text                 int64 // machine code attributed to packages
	groups               map[string]group
	modules              []string
}

const metadataGroup = "(function metadata)"

func measure(path string) (*result, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w (binsize reads ELF executables: build for linux)", path, err)
	}
	defer f.Close()
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	syms, err := f.Symbols()
	if errors.Is(err, elf.ErrNoSymbols) {
		return nil, fmt.Errorf("%s has no symbol table: build it with -ldflags=-w, not -s", path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	r := &result{fileSize: st.Size(), groups: map[string]group{}}
	if bi, err := buildinfo.ReadFile(path); err == nil {
		r.modules = append(r.modules, bi.Main.Path)
		for _, d := range bi.Deps {
			r.modules = append(r.modules, d.Path)
		}
	}
	inFile := map[elf.SectionIndex]bool{}
	for i, s := range f.Sections {
		if s.Flags&elf.SHF_ALLOC != 0 && s.Type != elf.SHT_NOBITS {
			inFile[elf.SectionIndex(i)] = true
			r.loaded += int64(s.Size)
			if s.Name == ".gopclntab" {
				r.metadata += int64(s.Size)
			}
		}
	}
	for _, s := range syms {
		if !inFile[s.Section] || s.Size == 0 {
			continue
		}
		pkg := packageOf(s.Name, r.modules)
		if pkg == metadataGroup {
			continue // inside .gopclntab, counted whole from its section header above
		}
		size := int64(s.Size)
		g := r.groups[pkg]
		g.name = pkg
		if elf.ST_TYPE(s.Info) == elf.STT_FUNC || f.Sections[s.Section].Flags&elf.SHF_EXECINSTR != 0 {
			g.text += size
			r.text += size
		} else {
			g.data += size
		}
		r.groups[pkg] = g
		r.attributed += size
	}
	return r, nil
}

// packageOf names the package a linker symbol belongs to. Symbol names are the package
// path, a dot, then the name (pkg.Func, pkg.(*T).M, pkg.T.M.func1), with generic type
// arguments in brackets, and prefixes for what the linker makes for a type (type:, go:itab.).
// modules (from the build information) settle paths whose last element holds a dot
// (gopkg.in/ini.v1).
func packageOf(name string, modules []string) string {
	switch {
	case strings.HasPrefix(name, "go:func."), name == "runtime.pclntab", name == "runtime.pcheader",
		name == "runtime.filetab", name == "runtime.functab", name == "runtime.findfunctab",
		name == "runtime.funcnametab", name == "runtime.cutab", name == "runtime.pctab":
		return metadataGroup
	case strings.HasPrefix(name, "go:itab."):
		// go:itab.*pkg.T,iface: the itab belongs to the concrete type.
		name = strings.TrimPrefix(name, "go:itab.")
		if i := strings.IndexByte(name, ','); i >= 0 {
			name = name[:i]
		}
	case strings.HasPrefix(name, "type:"):
		name = strings.TrimPrefix(name, "type:")
		for _, p := range []string{".eq.", ".namedata.", ".importpath.", ".hash."} {
			name = strings.TrimPrefix(name, p)
		}
	case strings.HasPrefix(name, "go:"):
		return "(linker: " + strings.SplitN(name, ".", 2)[0] + ")"
	}
	name = strings.TrimLeft(name, "*[]")
	name = stripBrackets(name)
	for _, m := range modules {
		if strings.HasPrefix(name, m+".") {
			return m
		}
	}
	slash := strings.LastIndexByte(name, '/')
	if dot := strings.IndexByte(name[slash+1:], '.'); dot >= 0 {
		return name[:slash+1+dot]
	}
	if name == "" {
		return "(unnamed)"
	}
	return name
}

// stripBrackets removes generic type arguments (which may name other packages) from a
// symbol name: pkg.F[other/pkg.T] is pkg.F.
func stripBrackets(s string) string {
	if !strings.ContainsRune(s, '[') {
		return s
	}
	var b strings.Builder
	depth := 0
	for _, c := range s {
		switch {
		case c == '[':
			depth++
		case c == ']' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// byModule sums packages into the module that provides them; the standard library
// (including its vendored golang.org/x copies) is "std".
func byModule(groups map[string]group, modules []string) map[string]group {
	out := map[string]group{}
	for pkg, g := range groups {
		name := moduleOf(pkg, modules)
		m := out[name]
		m.name = name
		m.text += g.text
		m.data += g.data
		out[name] = m
	}
	return out
}

func moduleOf(pkg string, modules []string) string {
	best := ""
	for _, m := range modules {
		if (pkg == m || strings.HasPrefix(pkg, m+"/")) && len(m) > len(best) {
			best = m
		}
	}
	switch {
	case best != "":
		return best
	case pkg == "main" && len(modules) > 0:
		return modules[0] // the main module, first in the build information
	case strings.HasPrefix(pkg, "("):
		return pkg
	case strings.HasPrefix(pkg, "vendor/"), !strings.Contains(strings.SplitN(pkg, "/", 2)[0], "."):
		return "std"
	}
	return pkg
}
