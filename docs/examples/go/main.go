// Publishes one Lab Journal run to Kafka with franz-go: run.started, three loss points, run.finished, each a
// CloudEvent in structured mode keyed by the run id.
//
// Usage: LABJOURNAL_TENANT=acme go run . RUN_ID   (brokers: LABJOURNAL_KAFKA_BOOTSTRAP, default 127.0.0.1:9092)
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

func main() {
	runID, tenant := os.Args[1], os.Getenv("LABJOURNAL_TENANT")
	bootstrap := os.Getenv("LABJOURNAL_KAFKA_BOOTSTRAP")
	if bootstrap == "" {
		bootstrap = "127.0.0.1:9092"
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	record := func(kind string, data map[string]any) *kgo.Record {
		value, _ := json.Marshal(map[string]any{
			"specversion": "1.0", "id": runID + "-" + kind, "source": "/tenants/" + tenant + "/projects/demo",
			"type": "dev.labjournal.run." + kind + ".v1", "subject": runID, "time": now, "tenant": tenant,
			"data": data,
		})
		return &kgo.Record{Topic: "labjournal.run-events", Key: []byte(runID), Value: value}
	}
	var points []map[string]any
	for step, loss := range []float64{0.9, 0.5, 0.3} {
		points = append(points, map[string]any{"key": "loss", "value": loss, "step": step})
	}

	client, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(bootstrap, ",")...)) // idempotent, acks=all
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer client.Close()
	err = client.ProduceSync(context.Background(),
		record("started", map[string]any{"name": "go example", "params": map[string]string{"lr": "0.1"}}),
		record("metrics", map[string]any{"metrics": points}),
		record("finished", map[string]any{"status": "succeeded"}),
	).FirstErr()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("published run", runID)
}
