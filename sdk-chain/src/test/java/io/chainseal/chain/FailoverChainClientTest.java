package io.chainseal.chain;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@WithLocalChain
@Tag("slow")
class FailoverChainClientTest {
  @Test
  void callsMoveToTheNextEndpointAndAFailedOneIsBenched(LocalChain local) {
    WireMockServer broken = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    broken.start();
    broken.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
    try (ChainClient client = ChainClient.builder(broken.baseUrl(), local.rpcUrl()).timeout(Duration.ofSeconds(1))
        .cooldown(Duration.ofMinutes(1)).build()) {
      local.mine(3);
      assertEquals(3, client.blockNumber(), "answered by the second endpoint");
      int hits = broken.findAll(anyRequestedFor(anyUrl())).size();
      assertEquals(1, hits);
      for (int i = 0; i < 10; i++) {
        client.blockNumber();
      }
      assertEquals(hits, broken.findAll(anyRequestedFor(anyUrl())).size(), "the broken endpoint is benched");
      assertEquals(local.chainId(), client.chainId());
    } finally {
      broken.stop();
    }
  }

  @Test
  void rpcRejectionsAreAnswersNotFaults(LocalChain local) {
    WireMockServer second = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    second.start();
    try (ChainClient client = ChainClient.builder(local.rpcUrl(), second.baseUrl()).build()) {
      ChainException e = assertThrows(ChainException.class, () -> client.sendRawTransaction(new byte[] {1, 2, 3}));
      assertTrue(!e.retryable(), e.getMessage());
      assertEquals(0, second.findAll(anyRequestedFor(anyUrl())).size(), "a rejection is not retried elsewhere");
    } finally {
      second.stop();
    }
  }

  @Test
  void whenEveryEndpointIsDownTheErrorSaysSoAndIsRetryable() {
    try (ChainClient client = ChainClient.builder("http://127.0.0.1:9", "http://127.0.0.1:10").maxAttempts(2)
        .backoff(Duration.ofMillis(10), Duration.ofMillis(10)).timeout(Duration.ofMillis(500)).build()) {
      ChainException e = assertThrows(ChainException.class, client::blockNumber);
      assertTrue(e.retryable());
      assertTrue(e.getMessage().contains("all 2 endpoints"), e.getMessage());
    }
  }

  @Test
  void anEndpointOfAnotherChainIsNeverUsed(LocalChain local) {
    try (LocalChain other = LocalChain.builder().chainId(4242).start();
        ChainClient client = ChainClient.builder(local.rpcUrl(), other.rpcUrl()).chainId(local.chainId())
            .timeout(Duration.ofSeconds(1)).cooldown(Duration.ofMillis(1)).build();
        ChainClient wrongFirst = ChainClient.builder(other.rpcUrl(), local.rpcUrl()).chainId(local.chainId()).build()) {
      local.mine(2);
      other.mine(7);
      assertEquals(local.chainId(), wrongFirst.chainId());
      assertEquals(local.blockNumber(), wrongFirst.blockNumber(), "answered by the endpoint of the right chain");
      local.takeOffline();
      try {
        ChainException e = assertThrows(ChainException.class, client::blockNumber);
        assertTrue(e.getMessage().contains("4242") || e.kind() == ChainException.Kind.UNREACHABLE, e.getMessage());
        assertTrue(e.kind() != ChainException.Kind.WRONG_CHAIN || !e.retryable());
      } finally {
        local.bringOnline();
      }
      assertEquals(local.blockNumber(), client.blockNumber(), "never the other chain's head");
    }
  }

  @Test
  void messagesNeverShowTheEndpointsPathOrQuery() {
    try (ChainClient client = ChainClient.builder("http://127.0.0.1:9/v3/SECRET-KEY?apikey=SECRET").maxAttempts(1)
        .timeout(Duration.ofMillis(300)).build()) {
      ChainException e = assertThrows(ChainException.class, client::blockNumber);
      assertTrue(!e.getMessage().contains("SECRET"), e.getMessage());
      assertTrue(e.getMessage().contains("http://127.0.0.1:9/…"), e.getMessage());
      assertEquals(ChainException.Kind.UNREACHABLE, e.kind());
      assertTrue(!client.endpoint().contains("SECRET") && !client.toString().contains("SECRET"));
    }
  }
}
