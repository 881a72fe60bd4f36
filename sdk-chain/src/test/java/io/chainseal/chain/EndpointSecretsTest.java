package io.chainseal.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An API key in an endpoint's path, query or host never shows in a ChainException, its causes, or its stack trace. */
class EndpointSecretsTest {
  private static final String KEY = "k3y9a8b7c6d5e4f3g2h1xyz";

  private static String everything(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  @Test
  void aKeyInTheHostIsHiddenWhenTheHostCannotBeResolved() {
    try (ChainClient client = ChainClient.builder("https://" + KEY + ".rpc-provider.invalid/v2/" + KEY).maxAttempts(1)
        .timeout(Duration.ofSeconds(2)).build()) {
      ChainException e = assertThrows(ChainException.class, client::blockNumber);
      assertEquals(ChainException.Kind.UNREACHABLE, e.kind());
      assertFalse(everything(e).contains(KEY), everything(e));
      assertFalse(client.endpoint().contains(KEY));
    }
  }

  @Test
  void aKeyInThePathOrQueryIsHiddenWhenTheConnectionIsRefused() {
    try (ChainClient client = ChainClient.builder("http://127.0.0.1:9/v3/" + KEY + "?apikey=" + KEY, "http://127.0.0.1:9/" + KEY)
        .maxAttempts(1).timeout(Duration.ofMillis(500)).build()) {
      ChainException e = assertThrows(ChainException.class, client::blockNumber);
      assertFalse(everything(e).contains(KEY), everything(e));
    }
  }
}
