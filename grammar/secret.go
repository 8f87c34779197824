package grammar

// SecretFix says what a secret's name looks like.
const SecretFix = "name a generated credential in capitals, digits and '_', starting with a capital, such as {secret:APP_PASSWORD}"

// SecretName is NAME in {secret:NAME} (connection templates, probe parameters) and
// ${secret:NAME} (env:): the key of a line NAME=value in .devstack/secrets.env. A newline
// in it wrote a line of the repository's choosing into that file, which became the
// password (issue 18, row 8); '=' or '#' would change how the line is read back. So: a
// capital, then capitals, digits and '_', at most 64 bytes.
func SecretName(name string) error {
	switch {
	case name == "":
		return refuse("secret name is empty", SecretFix)
	case len(name) > 64:
		return refuse("secret name is longer than 64 bytes", SecretFix)
	case !onlyOf(name[:1], upper) || !onlyOf(name, upper+digits+"_"):
		return refuse("secret name must be capitals, digits and '_', starting with a capital", SecretFix)
	}
	return nil
}
