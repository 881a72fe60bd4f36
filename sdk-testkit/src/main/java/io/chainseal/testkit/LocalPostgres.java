package io.chainseal.testkit;

import static io.chainseal.testkit.internal.LocalServers.freePort;
import static io.chainseal.testkit.internal.LocalServers.tail;

import io.chainseal.testkit.internal.ProcessRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, throwaway PostgreSQL server on a free loopback port, for tests of the PostgreSQL journal:
 * a fresh cluster ({@code initdb}, trust authentication, user {@code postgres}) in a temporary folder,
 * stopped and deleted by {@link #close()} (and by a shutdown hook if the JVM exits first).
 *
 * <p>Finds the server binaries in the folder named by the system property {@code chainseal.postgres.bin},
 * then in {@code /usr/lib/postgresql/<newest>/bin}, then on the {@code PATH}; install them with
 * {@code apt-get install postgresql} (the README's test command does). PostgreSQL refuses to run as
 * root, so under root the server runs as the {@code postgres} user through {@code runuser}.
 */
public final class LocalPostgres implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);

  private final Path dataDir;
  private final Path bin;
  private final boolean root;
  private final int port;
  private Process process;
  private final Thread shutdownHook;
  private boolean closed;

  private LocalPostgres(Path dataDir, Path bin, boolean root, int port, Process process) {
    this.dataDir = dataDir;
    this.bin = bin;
    this.root = root;
    this.port = port;
    this.process = process;
    this.shutdownHook = new Thread(() -> currentProcess().destroyForcibly(), "chainseal-postgres-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  private synchronized Process currentProcess() {
    return process;
  }

  /**
   * Creates a cluster and starts the server, waiting until it accepts connections.
   *
   * @throws LocalChainException if the binaries are missing (the message says how to install them)
   *     or the server does not start
   */
  public static LocalPostgres start() {
    Path bin = binaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir;
    try {
      dir = Files.createTempDirectory("chainseal-postgres-");
      if (root) {
        UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        Files.setOwner(dir, postgres);
      }
    } catch (IOException e) {
      throw new LocalChainException("cannot prepare a PostgreSQL data folder: " + e.getMessage(), e);
    }
    Path data = dir.resolve("data");
    run(command(root, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
        "-E", "UTF8", "--no-instructions"), dir.resolve("initdb.log"));
    int port = freePort();
    Process server = launch(bin, root, dir, port);
    LocalPostgres postgres = new LocalPostgres(dir, bin, root, port, server);
    postgres.awaitReady(server);
    log.info("PostgreSQL started on 127.0.0.1:{} (data in {})", port, data);
    return postgres;
  }

  private static Process launch(Path bin, boolean root, Path dir, int port) {
    try {
      return new ProcessBuilder(command(root, bin.resolve("postgres").toString(), "-D", dir.resolve("data").toString(), "-p",
          Integer.toString(port), "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1"))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile())).start();
    } catch (IOException e) {
      throw new LocalChainException("cannot start PostgreSQL: " + e.getMessage(), e);
    }
  }

  private void awaitReady(Process server) {
    ProcessRegistry.record(server.toHandle(), "postgres-launcher:" + port);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Path isReady = bin.resolve("pg_isready");
    while (!acceptsConnections(isReady, port)) {
      if (!server.isAlive() || System.nanoTime() > deadline) {
        String logText = tail(dataDir.resolve("server.log"));
        close();
        throw new LocalChainException("PostgreSQL did not start on port " + port + ". Last output:\n" + logText);
      }
      sleep(50);
    }
    // Under root the launcher is runuser: the server is its child, and that is the process to check.
    server.descendants().forEach(child -> ProcessRegistry.record(child, "postgres:" + port));
  }

  /**
   * Restarts the server on the same port with the same data, as a database restart in production:
   * a fast shutdown (SIGINT: connections are cut, the data kept), then a new server process. Returns
   * once the new server accepts connections.
   */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    // A fast shutdown, as an operator's restart: pg_ctl sends SIGINT (open connections are cut, not waited for).
    run(command(root, bin.resolve("pg_ctl").toString(), "-D", dataDir.resolve("data").toString(), "-m", "fast", "-w", "-t", "30",
        "stop"), dataDir.resolve("pg_ctl.log"));
    stopServer(ProcessHandle::destroy);
    process = launch(bin, root, dataDir, port);
    awaitReady(process);
    log.info("PostgreSQL restarted on 127.0.0.1:{}", port);
  }

  /** Stops the server process and its children: the given signal first, SIGKILL after 10 s. */
  private void stopServer(java.util.function.Consumer<ProcessHandle> signal) {
    List<ProcessHandle> children = process.descendants().toList();
    signal.accept(process.toHandle());
    children.forEach(signal);
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
      }
      for (ProcessHandle child : children) {
        child.onExit().get(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }

  /** JDBC URL of the {@code postgres} database, user {@code postgres}, no password. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  public int port() {
    return port;
  }

  /** The server's process id (the launcher's, under root). */
  public synchronized long pid() {
    return process.pid();
  }

  public synchronized boolean isRunning() {
    return process.isAlive();
  }

  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and deletes its data. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopServer(ProcessHandle::destroy);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // shutting down already
    }
    try (Stream<Path> paths = Files.walk(dataDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      log.debug("could not delete {}", dataDir, e);
    }
  }

  private static List<String> command(boolean root, String... args) {
    List<String> command = new ArrayList<>();
    if (root) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.addAll(List.of(args));
    return command;
  }

  private static void run(List<String> command, Path logFile) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new LocalChainException(String.join(" ", command) + " failed:\n" + tail(logFile));
      }
    } catch (IOException e) {
      throw new LocalChainException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalChainException("interrupted while creating a PostgreSQL cluster", e);
    }
  }

  static Path binaries() {
    String explicit = System.getProperty("chainseal.postgres.bin");
    if (explicit != null && Files.isExecutable(Path.of(explicit, "initdb"))) {
      return Path.of(explicit);
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Optional<Path> newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
            .max(Comparator.comparingInt(LocalPostgres::version));
        if (newest.isPresent()) {
          return newest.get().resolve("bin");
        }
      } catch (IOException e) {
        log.debug("cannot list {}", debian, e);
      }
    }
    for (String dir : Objects.requireNonNullElse(System.getenv("PATH"), "").split(java.io.File.pathSeparator, -1)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb")) && Files.isExecutable(Path.of(dir, "postgres"))) {
        return Path.of(dir);
      }
    }
    throw new LocalChainException("PostgreSQL server binaries (initdb, postgres) not found in -Dchainseal.postgres.bin,"
        + " /usr/lib/postgresql/*/bin or the PATH. Install them with `apt-get install postgresql` (the README's test"
        + " command does).");
  }

  private static int version(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString().replaceAll("\\D.*", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }


  /**
   * True once the server completes a real connection handshake. An open TCP port is not enough: while
   * the cluster recovers or initializes, PostgreSQL listens but answers "the database system is
   * starting up", so {@code pg_isready} (exit 0 only for "accepting connections") decides.
   */
  static boolean acceptsConnections(Path isReady, int port) {
    try {
      Process probe = new ProcessBuilder(isReady.toString(), "-q", "-h", "127.0.0.1", "-p", Integer.toString(port),
          "-U", "postgres", "-d", "postgres", "-t", "5").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!probe.waitFor(15, TimeUnit.SECONDS)) {
        probe.destroyForcibly();
        return false;
      }
      return probe.exitValue() == 0;
    } catch (IOException e) {
      throw new LocalChainException("cannot run " + isReady + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalChainException("interrupted while waiting for PostgreSQL", e);
    }
  }


  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalChainException("interrupted while waiting for PostgreSQL", e);
    }
  }

  @Override
  public String toString() {
    return "LocalPostgres[127.0.0.1:" + port + (isRunning() ? "" : ", stopped") + "]";
  }

}
