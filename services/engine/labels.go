package engine

// Every object devstack creates carries these labels; devstack never touches an object
// without them.
const (
	// LabelProject is the identity of the checkout that made the object (config.Identity:
	// the project's name and a hash of the checkout's path; the bare name for stacks an
	// earlier devstack made). Every command finds its objects by it.
	LabelProject = "dev.devstack.project"
	// LabelName is the project's name, shared by every clone; LabelCheckout the real path
	// of the checkout that made the object, so that the engine itself tells whose it is.
	LabelName     = "dev.devstack.name"
	LabelCheckout = "dev.devstack.checkout"
	LabelService  = "dev.devstack.service"
	LabelSpec     = "dev.devstack.spec" // hash of the container spec, to notice changes
	// LabelDegraded says what devstack had to leave out of the spec on this engine.
	LabelDegraded = "dev.devstack.degraded"
	// LabelImage and LabelMajor, on a service's data volume, name the image that made it
	// and that image's major version, so that a later up can refuse a major that cannot
	// read the data.
	LabelImage = "dev.devstack.image"
	LabelMajor = "dev.devstack.major"
	// LabelOffset and LabelBind say where a container publishes its ports, so that the
	// engine itself tells which project holds a port and where each project runs.
	LabelOffset = "dev.devstack.offset"
	LabelBind   = "dev.devstack.bind"
	// LabelCredentials, on a data volume, identifies the generated secrets its data was
	// initialised with (a hash, never the values).
	LabelCredentials = "dev.devstack.credentials"
	// LabelVolumeID, on a data volume, is a random id given when devstack made it: with
	// the name, it tells a volume from one removed and made again under that name.
	// Docker's CreatedAt cannot: for a local volume it is read from the directory and
	// moved a second later when a container first mounted it (seen on Docker 20.10).
	LabelVolumeID = "dev.devstack.volume-id"
)
