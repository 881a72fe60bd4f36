package io.chainseal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("slow")
class LocalPostgresTest {
  @Test
  void startsARealServerOnLoopbackAndStopsItCompletely() throws Exception {
    LocalPostgres postgres = LocalPostgres.start();
    int port = postgres.port();
    assertTrue(postgres.jdbcUrl().startsWith("jdbc:postgresql://127.0.0.1:" + port + "/"));
    assertTrue(LocalChainTest.accepts(port), "accepts connections");
    assertTrue(postgres.isRunning());
    postgres.close();
    assertFalse(postgres.isRunning());
    assertFalse(LocalChainTest.accepts(port), "port closed after close()");
    postgres.close(); // idempotent
  }

  @Test
  void answersQueriesAsSoonAsStartReturns() throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start()) {
      Process psql = new ProcessBuilder(LocalPostgres.binaries().resolve("psql").toString(), "-h", "127.0.0.1", "-p",
          Integer.toString(postgres.port()), "-U", "postgres", "-d", "postgres", "-tAc", "SELECT 40 + 2")
          .redirectErrorStream(true).start();
      String output = new String(psql.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
      assertTrue(psql.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
      assertEquals("42", output);
    }
  }

  @Test
  void anOpenPortThatIsNotAReadyServerIsNotReady() throws Exception {
    // A listener that accepts TCP connections but never speaks PostgreSQL, like a server still "starting up".
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            listener.accept().close();
          }
        } catch (java.io.IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      assertTrue(LocalChainTest.accepts(listener.getLocalPort()), "the TCP port is open");
      assertFalse(LocalPostgres.acceptsConnections(LocalPostgres.binaries().resolve("pg_isready"), listener.getLocalPort()));
    }
  }

  @Test
  void restartKeepsThePortAndTheData() throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start()) {
      psql(postgres, "CREATE TABLE kept (v INTEGER); INSERT INTO kept VALUES (42)");
      long pid = postgres.pid();
      postgres.restart();
      assertTrue(postgres.isRunning());
      assertTrue(pid != postgres.pid(), "a new server process");
      assertEquals("42", psql(postgres, "SELECT v FROM kept"));
    }
  }

  private static String psql(LocalPostgres postgres, String sql) throws Exception {
    Process psql = new ProcessBuilder(LocalPostgres.binaries().resolve("psql").toString(), "-h", "127.0.0.1", "-p",
        Integer.toString(postgres.port()), "-U", "postgres", "-d", "postgres", "-tAc", sql).redirectErrorStream(true).start();
    String output = new String(psql.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    assertTrue(psql.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
    return output;
  }

  @Test
  void speaksThePostgresProtocol() throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start(); Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", postgres.port()), 1_000);
      // An SSLRequest: a PostgreSQL server answers with one byte, 'S' or 'N'.
      socket.getOutputStream().write(new byte[] {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x2f});
      int answer = socket.getInputStream().read();
      assertTrue(answer == 'N' || answer == 'S', "answer " + answer);
    }
  }
}
