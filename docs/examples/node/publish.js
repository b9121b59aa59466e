// Publishes one Lab Journal run to Kafka with kafkajs: run.started, three loss points, run.finished, each a
// CloudEvent in structured mode keyed by the run id.
// Usage: npm ci && LABJOURNAL_TENANT=acme node publish.js RUN_ID
//        (brokers: LABJOURNAL_KAFKA_BOOTSTRAP, default 127.0.0.1:9092)
const { Kafka, Partitioners, logLevel } = require("kafkajs");

const [runId, tenant] = [process.argv[2], process.env.LABJOURNAL_TENANT];
const brokers = (process.env.LABJOURNAL_KAFKA_BOOTSTRAP || "127.0.0.1:9092").split(",");
const now = new Date().toISOString();
const event = (kind, data) => ({
  specversion: "1.0", id: `${runId}-${kind}`, source: `/tenants/${tenant}/projects/demo`,
  type: `dev.labjournal.run.${kind}.v1`, subject: runId, time: now, tenant, data,
});

async function main() {
  const kafka = new Kafka({ clientId: "labjournal-example", brokers, logLevel: logLevel.WARN });
  const producer = kafka.producer({
    idempotent: true, // with acks=-1 (all in-sync replicas)
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner, // murmur2 of the key, as Java clients
  });
  await producer.connect();
  await producer.send({
    topic: "labjournal.run-events",
    acks: -1,
    messages: [
      event("started", { name: "node example", params: { lr: "0.1" } }),
      event("metrics", { metrics: [0.9, 0.5, 0.3].map((value, step) => ({ key: "loss", value, step })) }),
      event("finished", { status: "succeeded" }),
    ].map((e) => ({ key: runId, value: JSON.stringify(e) })),
  });
  await producer.disconnect();
  console.log("published run", runId);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
