package grammar

import (
	"slices"
	"strings"
)

// SettingKeyFix says what a connection setting's name looks like.
const SettingKeyFix = "name it like DATABASE_URL or MYAPP_CACHE_REDIS_URL: capitals, digits and '_', ending in what it holds " +
	"(_URL, _URI, _HOST, _PORT, _USER, _PASSWORD, _DB, _NAME, _KEY, _ID, _SECRET, _BUCKET, _INDEX, _VHOST…), " +
	"and not in a tool's own namespace (DOCKER_, GIT_, AWS_, NODE_…)"

// A connection setting's key reaches a shell (`eval "$(devstack env --format shell)"`)
// and every dotenv reader (the .env devstack writes). Values are encoded for both
// (bootstrap/dotenv.go); a key cannot be: it names what it changes. A repository that
// names PATH, BASH_ENV, PROMPT_COMMAND, LD_PRELOAD, NODE_OPTIONS or GIT_SSH_COMMAND is
// handed the user's shell, loader or runtime (issue 18, row 3).
//
// The rule is an allowlist of shapes, not a denylist of names, because the dangerous
// names are many, per tool, and grow with every release:
//
//  1. UPPER_SNAKE with at least one '_' (no leading, trailing or doubled '_'), at most 128
//     bytes. Most of what shells and loaders read has no '_' at all (PATH, ENV, IFS, PS1,
//     HISTFILE, PYTHONPATH, PERL5OPT, RUBYOPT, KUBECONFIG, GOFLAGS, HOSTALIASES).
//  2. Its last part says it is a connection setting: URL, HOST, PORT, USER, PASSWORD, DB,
//     NAME, KEY, SECRET… (settingSuffixes). Behaviour-changing variables end in what they
//     change: _PATH, _OPTIONS, _COMMAND, _PRELOAD, _FILE, _DIR, _HOME, _PROXY, _ENV, _OPTS,
//     _FLAGS, _CONFIG, _PAGER, _EDITOR… and none of those is a suffix here.
//  3. It does not sit in a namespace a tool or runtime owns (ownedNamespaces), whose own
//     settings can look like connections: DOCKER_HOST and CONTAINER_HOST move the engine,
//     AWS_ENDPOINT_URL the cloud, PIP_INDEX_URL and NPM_CONFIG_REGISTRY where code is
//     installed from, GIT_* how git runs, DEVSTACK_* devstack itself. This is the one
//     list of names, and it is of namespaces: a tool's future variables are covered.
//
// Every key a built-in service or a preset emits fits (services' tests check it), and so
// do the settings frameworks read: DATABASE_URL, REDIS_URL, CELERY_BROKER_URL,
// CELERY_RESULT_BACKEND, INVENIO_SQLALCHEMY_DATABASE_URI, INVENIO_SEARCH_HOSTS,
// INVENIO_S3_SECRET_ACCESS_KEY, Frappe's DB_HOST and REDIS_CACHE.
func SettingKey(k string) error {
	switch {
	case k == "":
		return refuse("is empty", SettingKeyFix)
	case len(k) > 128:
		return refuse("is longer than 128 bytes", SettingKeyFix)
	case !onlyOf(k, upper+digits+"_") || !onlyOf(k[:1], upper):
		return refuse("must be capitals, digits and '_', starting with a capital", SettingKeyFix)
	case !strings.Contains(k, "_") || strings.HasSuffix(k, "_") || strings.Contains(k, "__"):
		return refuse("must be parts joined by single '_', such as APP_DATABASE_URL (names without '_' are the shell's and its tools')", SettingKeyFix)
	}
	parts := strings.Split(k, "_")
	if !slices.Contains(settingSuffixes, parts[len(parts)-1]) {
		return refuse("must end in what the setting holds (_URL, _HOST, _PORT, _USER, _PASSWORD, _DB, _NAME, _KEY…); "+
			"other names can change how a shell, loader or runtime behaves", SettingKeyFix)
	}
	if slices.Contains(ownedNamespaces, parts[0]) {
		return refuse(parts[0]+"_ is a namespace a tool or runtime reads its own settings from", SettingKeyFix)
	}
	return nil
}

// settingSuffixes are the last parts that say a key is a connection setting: where a
// service is, how to log in to it, and what to use on it.
var settingSuffixes = []string{
	// where
	"URL", "URLS", "URI", "URIS", "DSN", "HOST", "HOSTS", "HOSTNAME", "PORT", "PORTS",
	"SERVER", "SERVERS", "ENDPOINT", "ENDPOINTS", "ADDRESS", "REGION",
	// who
	"USER", "USERNAME", "LOGIN", "PASSWORD", "PASS", "AUTH", "EMAIL", "TOKEN", "KEY",
	"ID", "SECRET", "CREDENTIALS",
	// what on it
	"DB", "DATABASE", "NAME", "SCHEMA", "BUCKET", "INDEX", "PREFIX", "VHOST", "QUEUE",
	"EXCHANGE", "TOPIC", "COLLECTION", "BACKEND", "BROKER", "CACHE", "SOCKETIO",
}

// ownedNamespaces are first parts of keys whose variables a tool, runtime, shell or the
// dynamic loader reads. Grouped by owner; a namespace is refused whole.
var ownedNamespaces = []string{
	// shells, terminals, the C library and the loader
	"BASH", "ZSH", "KSH", "FISH", "SHELL", "PROMPT", "HIST", "PS", "TERM", "LD", "DYLD",
	"MALLOC", "GLIBC", "GCONV", "LC", "LANG", "LANGUAGE", "TZ", "TMP", "TEMP", "XDG",
	"HOME", "PATH", "ENV", "USER", "LOGNAME", "LESS", "MAN", "PAGER", "EDITOR",
	"VISUAL", "DISPLAY", "WAYLAND", "DBUS", "SYSTEMD", "SUDO", "NIX", "HOMEBREW",
	// network libraries and proxies
	"HTTP", "HTTPS", "FTP", "ALL", "NO", "SOCKS", "SSL", "OPENSSL", "CURL", "WGET",
	"REQUESTS", "RES", "LOCALDOMAIN",
	// version control, remote shells, signing
	"GIT", "SSH", "GPG", "GNUPG", "HG", "SVN",
	// engines and orchestration
	"DOCKER", "COMPOSE", "BUILDKIT", "BUILDX", "CONTAINER", "CONTAINERS", "PODMAN",
	"KUBE", "KUBECTL", "HELM", "DEVSTACK", "TF", "TERRAFORM", "VAGRANT", "ANSIBLE",
	"VAULT", "CONSUL", "NOMAD",
	// clouds and forges, whose CLIs read endpoint and credential variables
	"AWS", "AZURE", "GOOGLE", "GCLOUD", "CLOUDSDK", "GITHUB", "GH", "GITLAB", "HF",
	"HUGGINGFACE",
	// language runtimes and their package managers
	"PYTHON", "PIP", "PIPENV", "POETRY", "UV", "CONDA", "VIRTUAL", "NODE", "NPM", "YARN",
	"PNPM", "COREPACK", "NVM", "BUN", "DENO", "JAVA", "JDK", "JAVAC", "MAVEN", "GRADLE",
	"RUBY", "GEM", "BUNDLE", "PERL", "PERL5", "GO", "CARGO", "RUSTUP", "RUST", "PHP",
	"COMPOSER", "DOTNET", "NUGET", "COMPLUS", "MONO", "ERL", "ELIXIR", "MIX", "R", "JULIA",
	"LUA", "CC", "CXX", "PKG", "CMAKE",
	// tools that download binaries from a host a variable names
	"PLAYWRIGHT", "PUPPETEER", "CYPRESS", "ELECTRON", "PRISMA", "SASS", "CHROMEDRIVER",
	"GECKODRIVER",
}
