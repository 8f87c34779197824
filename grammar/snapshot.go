package grammar

// SnapshotFix says what a snapshot's name looks like.
const SnapshotFix = "name a snapshot with lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 bytes, such as before-migration or v1.2"

// SnapshotName is NAME in devstack snapshot save|restore|rm NAME and in a capsule's
// manifest: it becomes a file name in the user's snapshot directory (NAME.capsule), so a
// '/' or ".." would write elsewhere, a leading '-' reads as an option to whoever lists the
// directory, and upper case would make two names one file on a case-insensitive disk.
func SnapshotName(name string) error {
	switch {
	case name == "":
		return refuse("snapshot name is empty", SnapshotFix)
	case len(name) > 64:
		return refuse("snapshot name is longer than 64 bytes", SnapshotFix)
	case !onlyOf(name[:1], lower+digits):
		return refuse("snapshot name must start with a lower-case letter or a digit", SnapshotFix)
	case !onlyOf(name, lower+digits+"._-"):
		return refuse("snapshot name may hold only lower-case letters, digits, '.', '_' and '-'", SnapshotFix)
	case hasDotDot(name):
		return refuse("snapshot name may not hold '..'", SnapshotFix)
	}
	return nil
}

func hasDotDot(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '.' && s[i+1] == '.' {
			return true
		}
	}
	return false
}
