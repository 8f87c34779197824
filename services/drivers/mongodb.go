package drivers

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/devstack-dev/devstack/grammar"
	"github.com/devstack-dev/devstack/services"
)

// mongodbLoader inserts the documents of *.json files (one document, or an array of
// them) and *.ndjson files (one document a line) into a collection: the fixture's
// collection option, else the file's name without its extension. Documents are Extended
// JSON, so {"$oid": …} and {"$date": …} keep their types.
type mongodbLoader struct{}

func init() { services.RegisterLoader("mongodb", mongodbLoader{}) }

func (mongodbLoader) Pick(files []services.FixtureFile) []services.FixtureFile {
	return withSuffix(files, ".json", ".ndjson")
}

func (mongodbLoader) Load(ctx context.Context, t services.FixtureTarget, f services.FixtureFile) error {
	docs, err := readDocuments(f)
	if err != nil {
		return err
	}
	if len(docs) == 0 {
		return nil
	}
	name := strings.TrimSuffix(strings.TrimSuffix(path.Base(f.Rel), ".ndjson"), ".json")
	collection := t.Option("collection", name)
	// The collection: option was checked at load; a file's name comes with the data.
	if err := grammar.MongoCollection(collection); err != nil {
		return fmt.Errorf("%s: %w", f.Rel, err)
	}
	ep := t.Endpoint
	opts := options.Client().ApplyURI(services.MongoDBURL(ep)).SetDirect(true).SetServerSelectionTimeout(10 * time.Second)
	c, err := mongo.Connect(opts)
	if err != nil {
		return fmt.Errorf("connect to mongodb: %w", err)
	}
	defer func() { _ = c.Disconnect(context.WithoutCancel(ctx)) }()
	coll := c.Database(t.Option("database", ep.Env["DEVSTACK_MONGODB_DATABASE"])).Collection(collection)
	docsAny := make([]any, len(docs))
	for i, d := range docs {
		docsAny[i] = d
	}
	if _, err := coll.InsertMany(ctx, docsAny); err != nil {
		return fmt.Errorf("%s: insert into %s: %w", f.Rel, coll.Name(), err)
	}
	return nil
}

// readDocuments parses a file's documents, naming the line of the first it cannot read.
func readDocuments(f services.FixtureFile) ([]bson.D, error) {
	data, err := os.ReadFile(f.Path)
	if err != nil {
		return nil, err
	}
	var docs []bson.D
	if strings.HasSuffix(f.Rel, ".json") {
		trimmed := bytes.TrimSpace(data)
		if len(trimmed) > 0 && trimmed[0] == '[' {
			// An array: wrap it so Extended JSON reads it as one document's field.
			var wrapper struct {
				Docs []bson.D `bson:"d"`
			}
			if err := bson.UnmarshalExtJSON(append(append([]byte(`{"d":`), trimmed...), '}'), false, &wrapper); err != nil {
				return nil, fmt.Errorf("%s: not a JSON array of documents: %w", f.Rel, err)
			}
			return wrapper.Docs, nil
		}
		var d bson.D
		if err := bson.UnmarshalExtJSON(trimmed, false, &d); err != nil {
			return nil, fmt.Errorf("%s: not a JSON document: %w", f.Rel, err)
		}
		return []bson.D{d}, nil
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for line := 1; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		var d bson.D
		if err := bson.UnmarshalExtJSON(text, false, &d); err != nil {
			return nil, fmt.Errorf("%s:%d: not a JSON document: %w", f.Rel, line, err)
		}
		docs = append(docs, d)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", f.Rel, err)
	}
	return docs, nil
}
