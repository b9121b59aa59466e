#!/usr/bin/env bash
# Publishes one Lab Journal run over HTTP with curl: run.started, three loss points, run.finished, in one batch.
# Usage: LABJOURNAL_API_KEY=lj_key_... LABJOURNAL_TENANT=acme publish.sh RUN_ID
#        (ingest: LABJOURNAL_INGEST_URL, default http://127.0.0.1:8081)
set -euo pipefail
RUN_ID=$1
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# A CloudEvent of the run: event TYPE DATA. Its id is stable, so a resend changes nothing.
EVENT='{"specversion":"1.0","id":"%s-%s","source":"/tenants/%s/projects/demo","type":"dev.labjournal.run.%s.v1",'
EVENT+='"subject":"%s","time":"%s","tenant":"%s","data":%s}'
event() { printf "$EVENT" "$RUN_ID" "$1" "$LABJOURNAL_TENANT" "$1" "$RUN_ID" "$NOW" "$LABJOURNAL_TENANT" "$2"; }
curl -sSf -X POST "${LABJOURNAL_INGEST_URL:-http://127.0.0.1:8081}/api/v1/events" \
  -H "Authorization: Bearer $LABJOURNAL_API_KEY" -H 'Content-Type: application/cloudevents-batch+json' \
  -d "[$(event started '{"name":"curl example","params":{"lr":"0.1"}}'),
       $(event metrics '{"metrics":[{"key":"loss","value":0.9,"step":0},{"key":"loss","value":0.5,"step":1},
                                    {"key":"loss","value":0.3,"step":2}]}'),
       $(event finished '{"status":"succeeded"}')]"
echo
