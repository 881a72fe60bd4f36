package io.chainseal.testkit;

import static io.chainseal.testkit.internal.LocalServers.freePort;
import static io.chainseal.testkit.internal.LocalServers.tail;

import io.chainseal.testkit.internal.ProcessRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, throwaway Prosody XMPP server on a free loopback port, for tests of XMPP integrations: one
 * virtual host, client connections only (no server-to-server, no HTTP), plain authentication without TLS
 * (loopback only), accounts created by {@link #register}. Its configuration and data live in a temporary
 * folder that {@link #close()} deletes (a shutdown hook ends the server if the JVM exits first).
 *
 * <p>Uses {@code prosody} and {@code prosodyctl} from the {@code PATH} (Debian's {@code prosody}
 * package: the README's test command installs it).
 */
public final class LocalProsody implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalProsody.class);
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,62}");

  private final Path dir;
  private final String domain;
  private final int port;
  private final Process process;
  private final Thread shutdownHook;
  private boolean closed;

  private LocalProsody(Path dir, String domain, int port, Process process) {
    this.dir = dir;
    this.domain = domain;
    this.port = port;
    this.process = process;
    this.shutdownHook = new Thread(process::destroyForcibly, "chainseal-prosody-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a server for the virtual host {@code domain} (e.g. {@code chat.test}) and waits until it
   * accepts client connections.
   *
   * @throws LocalChainException if Prosody is not installed (the message says how) or does not start
   */
  public static LocalProsody start(String domain) {
    Objects.requireNonNull(domain, "domain == null");
    if (!NAME.matcher(domain).matches()) {
      throw new IllegalArgumentException("not a simple domain name: " + domain);
    }
    requireInstalled();
    Path dir;
    int port = freePort();
    try {
      dir = Files.createTempDirectory("chainseal-prosody-");
      Files.createDirectories(dir.resolve("data"));
      Files.writeString(dir.resolve("prosody.cfg.lua"), config(dir, domain, port), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new LocalChainException("cannot prepare a Prosody folder: " + e.getMessage(), e);
    }
    Process server;
    try {
      server = new ProcessBuilder("prosody", "--config", dir.resolve("prosody.cfg.lua").toString(), "-F")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.log").toFile())).start();
    } catch (IOException e) {
      throw new LocalChainException("cannot start prosody: " + e.getMessage(), e);
    }
    ProcessRegistry.record(server.toHandle(), "prosody:" + port);
    LocalProsody prosody = new LocalProsody(dir, domain, port, server);
    prosody.awaitReady();
    log.info("Prosody started on 127.0.0.1:{} for {} (pid {})", port, domain, server.pid());
    return prosody;
  }

  private static String config(Path dir, String domain, int port) {
    // Loopback only, no TLS (there is no certificate), plain passwords: a test server, never a real one.
    return String.join("\n",
        "run_as_root = true",
        "pidfile = \"" + dir.resolve("prosody.pid") + "\"",
        "data_path = \"" + dir.resolve("data") + "\"",
        "certificates = \"" + dir.resolve("certs") + "\"",
        "interfaces = { \"127.0.0.1\" }",
        "c2s_ports = { " + port + " }",
        "c2s_direct_tls_ports = {}",
        "legacy_ssl_ports = {}",
        "s2s_ports = {}",
        "http_ports = {}",
        "https_ports = {}",
        "modules_enabled = { \"roster\", \"saslauth\", \"disco\", \"ping\", \"posix\" }",
        "modules_disabled = { \"s2s\", \"tls\", \"http\", \"admin_shell\" }",
        "c2s_require_encryption = false",
        "allow_unencrypted_plain_auth = true",
        "authentication = \"internal_plain\"",
        "storage = \"internal\"",
        "log = { { levels = { min = \"info\" }, to = \"file\", filename = \"" + dir.resolve("prosody.log") + "\" } }",
        "VirtualHost \"" + domain + "\"",
        "");
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!acceptsConnections()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String output = tail(dir.resolve("prosody.log")) + "\n" + tail(dir.resolve("console.log"));
        close();
        throw new LocalChainException("Prosody did not start on port " + port + ". Last output:\n" + output);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new LocalChainException("interrupted while waiting for Prosody", e);
      }
    }
  }

  /** True once the server answers an XMPP stream header with its own (an open port alone is not enough). */
  private boolean acceptsConnections() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
      socket.setSoTimeout(2_000);
      socket.getOutputStream().write(("<?xml version='1.0'?><stream:stream to='" + domain + "' version='1.0'"
          + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>").getBytes(StandardCharsets.UTF_8));
      byte[] answer = new byte[512];
      int read = socket.getInputStream().read(answer);
      return read > 0 && new String(answer, 0, read, StandardCharsets.UTF_8).contains("<stream:stream");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Creates the account {@code user@domain} with {@code password} (through {@code prosodyctl}).
   *
   * @return the account's bare JID
   */
  public String register(String user, String password) {
    Objects.requireNonNull(password, "password == null");
    if (!NAME.matcher(Objects.requireNonNull(user, "user == null")).matches()) {
      throw new IllegalArgumentException("not a simple user name: " + user);
    }
    try {
      Process p = new ProcessBuilder("prosodyctl", "--config", dir.resolve("prosody.cfg.lua").toString(), "register", user, domain,
          password).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("prosodyctl.log").toFile()))
          .start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new LocalChainException("prosodyctl register " + user + " failed:\n" + tail(dir.resolve("prosodyctl.log")));
      }
    } catch (IOException e) {
      throw new LocalChainException("cannot run prosodyctl: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalChainException("interrupted while registering " + user, e);
    }
    return user + "@" + domain;
  }

  /** The virtual host. */
  public String domain() {
    return domain;
  }

  /** The loopback port for client connections. */
  public int port() {
    return port;
  }

  /** The host to connect to: {@code 127.0.0.1}. */
  public String host() {
    return "127.0.0.1";
  }

  /** The server's process id. */
  public long pid() {
    return process.pid();
  }

  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and deletes its folder. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // shutting down already
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      log.debug("could not delete {}", dir, e);
    }
  }

  private static void requireInstalled() {
    for (String dir : Objects.requireNonNullElse(System.getenv("PATH"), "").split(java.io.File.pathSeparator, -1)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "prosody")) && Files.isExecutable(Path.of(dir, "prosodyctl"))) {
        return;
      }
    }
    throw new LocalChainException("prosody and prosodyctl are not on the PATH. Install them with `apt-get install prosody`"
        + " (the README's test command does).");
  }



  @Override
  public String toString() {
    return "LocalProsody[" + domain + " on 127.0.0.1:" + port + ", pid " + process.pid() + "]";
  }
}
