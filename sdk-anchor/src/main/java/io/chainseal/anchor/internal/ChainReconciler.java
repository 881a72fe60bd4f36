package io.chainseal.anchor.internal;

import io.chainseal.anchor.AnchorJournal;
import io.chainseal.anchor.BatchRecord;
import io.chainseal.chain.ChainClient;
import io.chainseal.core.EvmAddress;
import java.util.Optional;
import java.util.Set;

/**
 * Compares the journal with the chain before an anchorer leads: every anchor the publisher made since
 * the journal's last confirmed batch must be a batch the journal has, with the same root. An anchor the
 * journal does not know, or knows with another root, means the journal is behind the chain (restored
 * from an older backup, or a replica that lags): leading from it would sign a second root for a batch
 * number already anchored. Not API.
 */
public final class ChainReconciler {
  private ChainReconciler() {}

  /** What contradicts the journal on chain, or empty if nothing does. */
  public static Optional<String> conflict(AnchorJournal journal, ChainClient chain, EvmAddress contract, EvmAddress publisher,
      long deploymentBlock, long maxRange) {
    long from = journal.lastConfirmedBatch().flatMap(BatchRecord::anchored).map(a -> a.blockNumber())
        .orElse(deploymentBlock);
    long head = chain.blockNumber();
    for (LogScanner.Found found : LogScanner.anchors(chain, contract, publisher, Set.of(), from, head, maxRange)) {
      long sequence = found.event().sequence();
      Optional<BatchRecord> batch = journal.batch(sequence);
      if (batch.isEmpty()) {
        return Optional.of("the chain holds batch " + sequence + " of " + publisher + " (root " + found.event().root()
            + ", transaction " + found.log().transactionHash().hex0x() + ") and the journal does not: the journal is behind"
            + " the chain (restored from an older backup?); anchoring from it would give batch numbers two roots");
      }
      if (!batch.get().root().equals(found.event().root()) || batch.get().treeSize() != found.event().treeSize()) {
        return Optional.of("the chain holds batch " + sequence + " of " + publisher + " with root " + found.event().root()
            + " (transaction " + found.log().transactionHash().hex0x() + "), the journal with root " + batch.get().root()
            + ": the journal is not this publisher's history");
      }
    }
    return Optional.empty();
  }
}
