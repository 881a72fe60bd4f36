package io.chainseal.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

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
