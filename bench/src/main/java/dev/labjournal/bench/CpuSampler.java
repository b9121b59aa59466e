package dev.labjournal.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the CPU goes during a phase, from Linux's /proc: the machine's busy time and the CPU time of each platform
 * component (the services, Kafka and OpenSearch by the pid files of {@code labjournal up}; PostgreSQL as all its
 * processes, including backends that ended during the phase) and of this benchmark. Silent where /proc is missing.
 */
final class CpuSampler {

    private static final List<String> COMPONENTS = List.of("ingest-service", "query-service", "kafka", "opensearch");

    private final Path runDir;
    private final double ticksPerSecond;
    private final boolean available;

    CpuSampler(Path stateDir) {
        this.runDir = stateDir.resolve("run");
        this.available = Files.isReadable(Path.of("/proc/stat"));
        this.ticksPerSecond = clockTicks();
    }

    /** CPU seconds per component and for the whole machine (busy, i.e. not idle or waiting for I/O). */
    record Sample(long nanos, Map<String, Double> seconds, double machineBusy, double steal, String loadAverage) {}

    Sample sample() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        double[] machine = {0, 0};
        if (available) {
            for (String component : COMPONENTS) {
                seconds.put(component, processSeconds(pidOf(component), false));
            }
            seconds.put("postgres", postgresSeconds());
            seconds.put("bench", processSeconds(ProcessHandle.current().pid(), false));
            machine = machineSeconds();
        }
        return new Sample(System.nanoTime(), seconds, machine[0], machine[1], loadAverage());
    }

    /** One line: machine busy as cores, and each component's share in cores, over the interval. */
    String describe(Sample from, Sample to) {
        if (!available) {
            return "cpu: /proc not available";
        }
        double wall = (to.nanos() - from.nanos()) / 1e9;
        StringBuilder line = new StringBuilder();
        double busy = to.machineBusy() - from.machineBusy();
        line.append(String.format("cpu (cores busy on average): machine %.2f", busy / wall));
        double accounted = 0;
        for (String component : to.seconds().keySet()) {
            double used = to.seconds().get(component) - from.seconds().getOrDefault(component, 0.0);
            accounted += Math.max(0, used);
            line.append(String.format(" | %s %.2f", component, Math.max(0, used) / wall));
        }
        line.append(String.format(" | other %.2f", Math.max(0, busy - accounted) / wall));
        line.append(String.format(" | (stolen by the hypervisor %.2f)", (to.steal() - from.steal()) / wall));
        double other = Math.max(0, busy - accounted) / wall;
        if (other > 0.3) {
            line.append(String.format(
                    "%n  WARNING: processes outside the platform used %.2f cores during this phase (another build or"
                            + " test?): the figure may be disturbed",
                    other));
        }
        return line.toString();
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private long pidOf(String component) {
        try {
            return Long.parseLong(
                    Files.readString(runDir.resolve(component + ".pid")).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private double processSeconds(long pid, boolean withChildren) {
        long[] ticks = stat(pid);
        if (ticks == null) {
            return 0;
        }
        long total = ticks[0] + ticks[1] + (withChildren ? ticks[2] + ticks[3] : 0);
        return total / ticksPerSecond;
    }

    /** utime, stime, cutime, cstime, ppid of a process, or null. */
    private static long[] stat(long pid) {
        if (pid <= 0) {
            return null;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is the state (field 3 of proc(5)); utime is field 14, so f[11].
            return new long[] {
                Long.parseLong(f[11]),
                Long.parseLong(f[12]),
                Long.parseLong(f[13]),
                Long.parseLong(f[14]),
                Long.parseLong(f[1])
            };
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** All postgres processes; the postmaster's children-time covers backends that exited. */
    private double postgresSeconds() {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.forEach(p -> {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    return;
                }
                try {
                    if (Files.readString(p.resolve("comm")).trim().equals("postgres")) {
                        pids.add(Long.parseLong(name));
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            });
        } catch (IOException e) {
            return 0;
        }
        long total = 0;
        for (long pid : pids) {
            long[] t = stat(pid);
            if (t == null) {
                continue;
            }
            total += t[0] + t[1];
            if (!pids.contains(t[4])) {
                total += t[2] + t[3]; // the postmaster: reaped backends
            }
        }
        return total / ticksPerSecond;
    }

    /** Busy seconds of all CPUs (user, nice, system, irq, softirq) and seconds stolen by the hypervisor. */
    private double[] machineSeconds() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = cpu.trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7}) {
                busy += Long.parseLong(f[i]);
            }
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            return new double[] {busy / ticksPerSecond, steal / ticksPerSecond};
        } catch (IOException | RuntimeException e) {
            return new double[] {0, 0};
        }
    }

    private static double clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Double.parseDouble(out);
        } catch (IOException | RuntimeException | InterruptedException e) {
            return 100;
        }
    }
}
