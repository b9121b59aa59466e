#!/usr/bin/env bash
# Publishes one Lab Journal run straight to Kafka with kcat: run.started, three loss points, run.finished, one
# record each, keyed by the run id (the key ingest requires: one run's events stay in order on one partition;
# murmur2_random picks the partition the Java, Go and Node clients pick for the same key).
# Usage: LABJOURNAL_TENANT=acme publish.sh RUN_ID   (brokers: LABJOURNAL_KAFKA_BOOTSTRAP, default 127.0.0.1:9092)
set -euo pipefail
RUN_ID=$1
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# A CloudEvent of the run: event TYPE DATA. Its id is stable, so a resend changes nothing.
EVENT='{"specversion":"1.0","id":"%s-%s","source":"/tenants/%s/projects/demo","type":"dev.labjournal.run.%s.v1",'
EVENT+='"subject":"%s","time":"%s","tenant":"%s","data":%s}'
event() { printf "$EVENT" "$RUN_ID" "$1" "$LABJOURNAL_TENANT" "$1" "$RUN_ID" "$NOW" "$LABJOURNAL_TENANT" "$2"; }
{ # key:value, one record a line (-K:)
  echo "$RUN_ID:$(event started '{"name":"kcat example","params":{"lr":"0.1"}}')"
  echo "$RUN_ID:$(event metrics '{"metrics":[{"key":"loss","value":0.9,"step":0},{"key":"loss","value":0.5,"step":1},{"key":"loss","value":0.3,"step":2}]}')"
  echo "$RUN_ID:$(event finished '{"status":"succeeded"}')"
} | kcat -P -b "${LABJOURNAL_KAFKA_BOOTSTRAP:-127.0.0.1:9092}" -t labjournal.run-events -K: \
    -H 'content-type=application/cloudevents+json; charset=UTF-8' -X enable.idempotence=true -X partitioner=murmur2_random
