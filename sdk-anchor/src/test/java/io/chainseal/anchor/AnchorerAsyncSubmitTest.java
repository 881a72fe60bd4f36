package io.chainseal.anchor;

import io.chainseal.chain.ChainClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.Hash32;
import io.chainseal.core.MessageProof;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One thread keeps many submissions in flight with submitAsync; each is journaled, then anchored. */
@WithLocalChain
@Tag("slow")
class AnchorerAsyncSubmitTest {
  private static Hash32 commitment(int i) {
    byte[] bytes = new byte[32];
    bytes[0] = (byte) i;
    bytes[1] = (byte) (i >> 8);
    bytes[31] = 3;
    return Hash32.of(bytes);
  }

  @Test
  void asyncSubmissionsAreJournaledThenAnchored(LocalChain local, @TempDir Path dir) throws Exception {
    try (ChainClient chain = ChainClient.http(local.rpcUrl())) {
      AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
      try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("async.db"));
          Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(TestKeys.of(local.account(1)))
              .journal(journal).batchPolicy(new BatchPolicy(5_000, Duration.ofMillis(100))).confirmations(1).build()) {
        List<CompletableFuture<PendingProof>> accepted = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
          accepted.add(anchorer.submitAsync(new MessageKey("async", "m" + i), commitment(i), null));
        }
        CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertEquals(5_000, journal.messageCount(), "journaled once each future completed");
        List<CompletableFuture<MessageProof>> proofs = new ArrayList<>();
        for (CompletableFuture<PendingProof> future : accepted) {
          proofs.add(future.join().proof());
        }
        CompletableFuture.allOf(proofs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertEquals(commitment(4_999), proofs.get(4_999).join().commitment());

        MessageProof first = proofs.get(0).join();
        assertEquals(first, anchorer.submitAsync(new MessageKey("async", "m0"), commitment(0), null).get()
            .proof().get(10, TimeUnit.SECONDS), "a resubmission gets the same proof");
        java.util.concurrent.CompletionException failed = assertThrows(java.util.concurrent.CompletionException.class,
            () -> anchorer.submitAsync(new MessageKey("async", "m1"), commitment(77), null).join());
        SubmitRejectedException conflict = (SubmitRejectedException) failed.getCause();
        assertEquals(SubmitRejectedException.Reason.CONFLICT, conflict.reason());
        assertTrue(conflict.getMessage().contains("async/m1"), conflict.getMessage());
      }
    }
  }
}
