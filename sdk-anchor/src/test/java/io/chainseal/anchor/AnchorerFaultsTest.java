package io.chainseal.anchor;

import io.chainseal.chain.ChainClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.Salt;
import io.chainseal.core.SigningKey;
import io.chainseal.core.VerificationStatus;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WireMock in front of the real node injects HTTP 500s, 429s, timeouts, dropped connections and
 * garbage answers, then the endpoint is unreachable for 10 s (proxy stopped, connections refused):
 * 10,000 accepted messages are all anchored,
 * none twice (counted from the contract's events on chain).
 */
@WithLocalChain
@Tag("slow")
class AnchorerFaultsTest {
  /** A WireMock server on {@code port} that passes every call through to the node unless a fault stub says otherwise. */
  private static WireMockServer startProxy(int port, String nodeUrl) {
    WireMockServer proxy = new WireMockServer(options().port(port).bindAddress("127.0.0.1"));
    proxy.start();
    proxy.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(nodeUrl)));
    return proxy;
  }

  @Test
  void everyAcceptedMessageIsAnchoredOnceThroughFaultsAndAnOutage(LocalChain local, @TempDir Path dir) throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    java.util.concurrent.atomic.AtomicReference<WireMockServer> current = new java.util.concurrent.atomic.AtomicReference<>(
        startProxy(port, local.rpcUrl()));
    WireMockServer proxy = current.get();
    ChainClient direct = ChainClient.http(local.rpcUrl());
    SigningKey operator = TestKeys.of(local.account(1));
    AnchorContract contract = AnchorContract.deploy(direct, TestKeys.of(local.account(0)), false);
    ChainClient faulty = ChainClient.builder(proxy.baseUrl()).timeout(Duration.ofSeconds(1)).maxAttempts(2)
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).build();

    List<ResponseDefinitionBuilder> faults = List.of(
        aResponse().withStatus(500).withBody("internal error"),
        aResponse().withStatus(429).withBody("slow down"),
        aResponse().withFixedDelay(2_000).proxiedFrom(local.rpcUrl()),
        aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
        aResponse().withFault(Fault.EMPTY_RESPONSE),
        aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0xnot-hex\"}"),
        aResponse().withStatus(200).withBody("<html>not json at all</html>"));
    AtomicBoolean chaosDone = new AtomicBoolean();
    Thread chaos = new Thread(() -> {
      try {
        for (int round = 0; round < 2; round++) {
          for (ResponseDefinitionBuilder fault : faults) {
            Thread.sleep(400);
            StubMapping stub = current.get().stubFor(any(anyUrl()).atPriority(1).willReturn(fault));
            Thread.sleep(700);
            current.get().removeStub(stub);
          }
        }
        current.get().stop(); // the endpoint is unreachable for 10 s: connections refused
        Thread.sleep(10_000);
        current.set(startProxy(port, local.rpcUrl()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        chaosDone.set(true);
      }
    }, "chaos");

    List<CompletableFuture<MessageProof>> proofs = new ArrayList<>();
    List<MessageEnvelope> envelopes = new ArrayList<>();
    List<Salt> salts = new ArrayList<>();
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("faults.db"));
        Anchorer anchorer = Anchorer.builder().chain(faulty).contract(contract).publisherKey(operator).journal(journal)
            .batchPolicy(new BatchPolicy(400, Duration.ofMillis(100))).confirmations(1).maxBacklog(20_000)
            .rebroadcastInterval(Duration.ofSeconds(2)).build()) {
      chaos.start();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> submitters = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        submitters.add(pool.submit(() -> {
          for (int i = 0; i < 1_250; i++) {
            MessageEnvelope envelope = MessageEnvelope.builder().conversationId("faults").messageId("t" + thread + "-" + i)
                .senderId("s").timestamp(Instant.ofEpochMilli(i)).text("message " + i).build();
            Salt salt = Salt.random();
            CompletableFuture<MessageProof> proof = anchorer.submit(envelope, salt).proof();
            synchronized (proofs) {
              proofs.add(proof);
              envelopes.add(envelope);
              salts.add(salt);
            }
            if (i % 100 == 0) {
              Thread.sleep(150); // spread the messages over the faults
            }
          }
          return null;
        }));
      }
      for (Future<?> submitter : submitters) {
        submitter.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();
      CompletableFuture.allOf(proofs.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);
      chaos.join(60_000);
      assertTrue(chaosDone.get(), "the chaos ran its course");
      assertEquals(10_000, journal.messageCount());

      OnChainAnchors onChain = OnChainAnchors.read(local, contract);
      assertEquals(10_000, onChain.messages(), "every accepted message anchored exactly once");
      assertEquals(journal.lastBatch().orElseThrow().sequence(), onChain.batches());
      System.out.printf("faults: 10,000 messages anchored in %d batches through %d fault phases and a 10 s outage%n",
          onChain.batches(), 2 * faults.size());

      ProvenanceVerifier verifier = ProvenanceVerifier.builder(direct).chainId(direct.chainId()).trustContract(contract.address())
          .trustPublisher(operator.id().address()).confirmations(1).build();
      for (int i = 0; i < proofs.size(); i += 97) {
        assertEquals(VerificationStatus.VERIFIED, verifier.verify(envelopes.get(i), salts.get(i), proofs.get(i).join()).status());
      }
    } finally {
      chaos.interrupt();
      current.get().stop();
      faulty.close();
      direct.close();
    }
  }
}
