package probe

import (
	"encoding/json"
	"fmt"
)

func init() { RegisterBody("cluster-health", clusterHealthy) }

// clusterHealthy accepts a cluster health of yellow (a single node's replicas have
// nowhere to go) or green.
func clusterHealthy(body []byte) error {
	var health struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal(body, &health); err != nil {
		return err
	}
	if health.Status != "green" && health.Status != "yellow" {
		return fmt.Errorf("cluster health is %q", health.Status)
	}
	return nil
}
