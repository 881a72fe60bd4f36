package io.chainseal.anchor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.FakeChain;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageProof;
import io.chainseal.core.SigningKey;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a host application sees of the anchorer's threads, on the in-memory chain: proof futures
 * complete on the host's executor and a slow callback stalls nobody, every instance names its own
 * threads, closing on an interrupted thread neither spins nor leaves threads behind, and settings that
 * make no sense are refused when built.
 */
class AnchorerHostTest {
  private static final SigningKey OPERATOR = SigningKey.secp256k1(Hash32.fromHex("0c".repeat(32)).bytes());

  @TempDir Path dir;
  private final FakeChain chain = FakeAnchor.chain();

  private Anchorer.Builder builder(AnchorJournal journal) {
    return Anchorer.builder().chain(chain).contract(FakeAnchor.CONTRACT).publisherKey(OPERATOR).journal(journal)
        .batchPolicy(new BatchPolicy(10, Duration.ofMillis(20))).confirmations(2).pollInterval(Duration.ofMillis(5))
        .leaseCheckInterval(Duration.ofMillis(50));
  }

  private static Hash32 commitment(int i) {
    byte[] bytes = new byte[32];
    bytes[0] = (byte) i;
    bytes[1] = (byte) (i >> 8);
    bytes[31] = 5;
    return Hash32.of(bytes);
  }

  @Test
  void proofsCompleteOnTheHostsExecutorAndASlowCallbackStallsNobody() throws Exception {
    AtomicInteger threads = new AtomicInteger();
    ExecutorService host = Executors.newFixedThreadPool(4, r -> new Thread(r, "host-callback-" + threads.incrementAndGet()));
    CountDownLatch release = new CountDownLatch(1);
    try (FakeMiner miner = new FakeMiner(chain);
        SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("host.db"));
        Anchorer anchorer = builder(journal).callbackExecutor(host).build()) {
      CompletableFuture<String> slowCallback = anchorer.submit(new MessageKey("host", "first"), commitment(0), null).proof()
          .thenApply(proof -> {
            try {
              release.await(); // a host callback that blocks until the test lets it go
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return Thread.currentThread().getName();
          });
      // While that callback blocks, later messages are still journaled, anchored and handed out.
      for (int i = 1; i <= 30; i++) {
        MessageProof proof = anchorer.submit(new MessageKey("host", "m" + i), commitment(i), null).proof().get(30, TimeUnit.SECONDS);
        assertTrue(proof.anchor().isPresent());
      }
      assertFalse(slowCallback.isDone());
      release.countDown();
      String completedOn = slowCallback.get(30, TimeUnit.SECONDS);
      assertTrue(completedOn.startsWith("host-callback-"), "completed on " + completedOn);
      assertEquals(31, FakeAnchor.anchoredMessages(chain));
    } finally {
      release.countDown();
      host.shutdownNow();
    }
  }

  @Test
  void everyInstanceNamesItsOwnThreads() {
    try (FakeMiner miner = new FakeMiner(chain);
        SqliteAnchorJournal first = SqliteAnchorJournal.open(dir.resolve("first.db"));
        SqliteAnchorJournal second = SqliteAnchorJournal.open(dir.resolve("second.db"));
        Anchorer one = builder(first).build();
        Anchorer two = builder(second).build()) {
      List<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
          .filter(name -> name.startsWith("chainseal-anchorer-")).toList();
      assertEquals(names.size(), new HashSet<>(names).size(), "no two threads share a name: " + names);
      Set<String> instances = new HashSet<>();
      for (String name : names) {
        instances.add(name.substring(0, name.lastIndexOf('-')));
      }
      assertEquals(2, instances.size(), "two instances, two name prefixes: " + names);
      for (String role : List.of("-journal", "-lead", "-batches", "-tx")) {
        assertEquals(2, names.stream().filter(name -> name.endsWith(role)).count(), role + " in " + names);
      }
    }
  }

  @Test
  void closingOnAnInterruptedThreadStopsEverythingAndKeepsTheInterrupt() throws Exception {
    // No blocks are mined: the message can never be confirmed, and close() would wait its full timeout.
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("interrupted.db"))) {
      Anchorer anchorer = builder(journal).closeTimeout(Duration.ofMinutes(10)).build();
      CompletableFuture<MessageProof> proof = anchorer.submit(new MessageKey("host", "never"), commitment(1), null).proof();
      boolean stillInterrupted = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
        Thread.currentThread().interrupt();
        anchorer.close();
        return Thread.interrupted();
      }, "close() on an interrupted thread returns without waiting out its 10-minute timeout");
      assertTrue(stillInterrupted, "the caller's interrupt status is kept");
      ExecutionException failed = assertThrows(ExecutionException.class, () -> proof.get(10, TimeUnit.SECONDS));
      assertInstanceOf(SubmitRejectedException.class, failed.getCause());
      assertEquals(SubmitRejectedException.Reason.CLOSED, ((SubmitRejectedException) failed.getCause()).reason());
      List<String> left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
          .filter(name -> name.startsWith("chainseal-anchorer-")).toList();
      assertEquals(List.of(), left, "no anchorer thread outlives close()");
      assertEquals(1, journal.messageCount(), "the message stays journaled for the next start");
    }
  }

  @Test
  void settingsThatMakeNoSenseAreRefusedByName() {
    List<Consumer<Anchorer.Builder>> nonsense = List.of(
        b -> b.pollInterval(Duration.ofMillis(-500)),
        b -> b.pollInterval(Duration.ZERO),
        b -> b.rebroadcastInterval(Duration.ofSeconds(-1)),
        b -> b.replaceAfter(Duration.ZERO),
        b -> b.leaseCheckInterval(Duration.ofMillis(-1)),
        b -> b.submitTimeout(Duration.ZERO),
        b -> b.closeTimeout(Duration.ofSeconds(-1)),
        b -> b.confirmations(0),
        b -> b.maxBacklog(0),
        b -> b.maxReverts(0),
        b -> b.reorgDepth(0),
        b -> b.logQueryBlockRange(0),
        b -> b.maxFeePerGas(BigInteger.ZERO));
    List<String> names = List.of("pollInterval", "pollInterval", "rebroadcastInterval", "replaceAfter", "leaseCheckInterval",
        "submitTimeout", "closeTimeout", "confirmations", "maxBacklog", "maxReverts", "reorgDepth", "logQueryBlockRange",
        "maxFeePerGas");
    for (int i = 0; i < nonsense.size(); i++) {
      Consumer<Anchorer.Builder> setting = nonsense.get(i);
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> setting.accept(Anchorer.builder()));
      assertTrue(refused.getMessage().startsWith(names.get(i)), refused.getMessage());
    }
    NullPointerException missing = assertThrows(NullPointerException.class, () -> Anchorer.builder().build());
    assertTrue(missing.getMessage().contains("chain"), missing.getMessage());
  }
}
