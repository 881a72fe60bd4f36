package io.chainseal.testkit.internal;

import io.chainseal.testkit.LocalChainException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the testkit's local servers (PostgreSQL, Prosody) share: a free loopback port and the tail of a log. */
public final class LocalServers {
  private LocalServers() {}

  /** A loopback port free at the time of asking. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new LocalChainException("no free loopback port", e);
    }
  }

  /** The last 20 lines of {@code file}, for an error message ("(no output)" if it cannot be read). */
  public static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no output)";
    }
  }
}
