package dev.labjournal.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/** What a run is: its project, name, initial params and tags, and where it is published. */
public final class RunOptions {

    private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern TEAM = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final String project;
    private final String runId;
    private final String name;
    private final String team;
    private final String user;
    private final String hypothesis;
    private final Map<String, String> params;
    private final Map<String, String> tags;
    private final boolean captureEnvironment;
    private final LabJournalConfig config;

    private RunOptions(Builder builder) {
        project = builder.project;
        runId = builder.runId != null ? builder.runId : UUID.randomUUID().toString();
        name = builder.name;
        team = builder.team;
        user = builder.user != null ? builder.user : System.getProperty("user.name");
        hypothesis = builder.hypothesis;
        params = Map.copyOf(builder.params);
        tags = Map.copyOf(builder.tags);
        captureEnvironment = builder.captureEnvironment;
        config = builder.config;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String project() {
        return project;
    }

    /** The run id: the one given, or a random UUID. */
    public String runId() {
        return runId;
    }

    public String name() {
        return name;
    }

    public String team() {
        return team;
    }

    /** Who runs it: the one given, or the {@code user.name} of the JVM. */
    public String user() {
        return user;
    }

    public String hypothesis() {
        return hypothesis;
    }

    public Map<String, String> params() {
        return params;
    }

    public Map<String, String> tags() {
        return tags;
    }

    /** Whether run.started carries the host, the JVM and the git commit of the working directory. */
    public boolean captureEnvironment() {
        return captureEnvironment;
    }

    /** The configuration given, or null for {@link LabJournalConfig#fromEnv()}. */
    public LabJournalConfig config() {
        return config;
    }

    /** Builds run options; invalid values are refused at once, before any training starts. */
    public static final class Builder {
        private String project;
        private String runId;
        private String name;
        private String team;
        private String user;
        private String hypothesis;
        private final Map<String, String> params = new LinkedHashMap<>();
        private final Map<String, String> tags = new LinkedHashMap<>();
        private boolean captureEnvironment = true;
        private LabJournalConfig config;

        private Builder() {}

        /** The project (required): 1 to 128 letters, digits, '.', '_' and '-'. */
        public Builder project(String project) {
            this.project = matching(project, PROJECT, "project");
            return this;
        }

        /** The run id (default: a random UUID): 1 to 128 letters, digits, '.', '_' and '-'. */
        public Builder runId(String runId) {
            this.runId = matching(runId, RUN_ID, "run id");
            return this;
        }

        public Builder name(String name) {
            this.name = Limits.atMost(name, Limits.NAME, "name");
            return this;
        }

        /** The team: 1 to 63 lowercase letters, digits and '-'. */
        public Builder team(String team) {
            this.team = matching(team, TEAM, "team");
            return this;
        }

        public Builder user(String user) {
            this.user = Limits.atMost(user, Limits.USER, "user");
            return this;
        }

        public Builder hypothesis(String hypothesis) {
            this.hypothesis = Limits.atMost(hypothesis, Limits.HYPOTHESIS, "hypothesis");
            return this;
        }

        /** An initial param; the value is sent as its {@code toString()}, as params are strings. */
        public Builder param(String key, Object value) {
            String text = String.valueOf(value);
            params.put(Limits.key(key), Limits.atMost(text, Limits.PARAM_VALUE, "param " + key));
            return this;
        }

        public Builder params(Map<String, ?> params) {
            params.forEach(this::param);
            return this;
        }

        public Builder tag(String key, String value) {
            tags.put(Limits.key(key), Limits.atMost(value, Limits.TAG_VALUE, "tag " + key));
            return this;
        }

        public Builder tags(Map<String, String> tags) {
            tags.forEach(this::tag);
            return this;
        }

        /** Leave the host, the JVM and the git commit out of run.started (default: captured). */
        public Builder captureEnvironment(boolean captureEnvironment) {
            this.captureEnvironment = captureEnvironment;
            return this;
        }

        /** Where to publish (default: {@link LabJournalConfig#fromEnv()}). */
        public Builder config(LabJournalConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        public RunOptions build() {
            if (project == null) {
                throw new IllegalArgumentException("a run needs a project: RunOptions.builder().project(\"nlp\")");
            }
            return new RunOptions(this);
        }

        private static String matching(String value, Pattern pattern, String what) {
            Objects.requireNonNull(value, what);
            if (!pattern.matcher(value).matches()) {
                throw new IllegalArgumentException(
                        "invalid " + what + " '" + value + "': it must match " + pattern.pattern());
            }
            return value;
        }
    }
}
