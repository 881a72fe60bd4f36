package io.chainseal.testkit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes down the processes the testkit starts, so that whoever ran the tests can check afterwards that
 * none outlived them — and end exactly those, by process id, never by name. Active only when the
 * environment variable {@value #ENV} names a folder (the README's test command sets it): each process
 * gets a file {@code <pid>.pid} holding its pid, its start time in clock ticks since boot (field 22 of
 * {@code /proc/<pid>/stat}, so a recycled pid is not mistaken for it) and what it is. Not API.
 */
public final class ProcessRegistry {
  public static final String ENV = "CHAINSEAL_TESTKIT_PID_DIR";
  private static final Logger log = LoggerFactory.getLogger(ProcessRegistry.class);

  private ProcessRegistry() {}

  /** Records {@code process} (and nothing if the registry is off). */
  public static void record(ProcessHandle process, String what) {
    String folder = System.getenv(ENV);
    if (folder == null || folder.isEmpty()) {
      return;
    }
    record(Path.of(folder), process, what);
  }

  static void record(Path folder, ProcessHandle process, String what) {
    String start = startTicks(process.pid());
    try {
      Files.writeString(folder.resolve(process.pid() + ".pid"),
          process.pid() + " " + start + " " + what.replaceAll("\\s+", "_") + "\n", StandardCharsets.US_ASCII);
    } catch (IOException e) {
      log.warn("cannot record process {} in {}: {}", process.pid(), folder, e.getMessage());
    }
  }

  /** Field 22 of /proc/<pid>/stat (the process's start time), or "-" where there is no /proc. */
  static String startTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
      String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ", -1);
      return rest[19];
    } catch (IOException | RuntimeException e) {
      return "-";
    }
  }
}
