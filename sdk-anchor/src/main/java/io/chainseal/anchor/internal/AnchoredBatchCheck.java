package io.chainseal.anchor.internal;

import io.chainseal.anchor.BatchRecord;
import io.chainseal.chain.AppliedCheck;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.TransactionIntent;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The anchorer's {@link AppliedCheck}: before a batch's anchoring intent is signed at a new nonce, look
 * for the publisher's {@code Anchored} event with that batch number. The same root there means the
 * batch is anchored already (by an earlier transaction, perhaps of a previous run): nothing is sent. A
 * different root means the chain holds another batch under this number — a journal restored from an
 * older backup — and signing would make the operator equivocate: the intent fails instead. Not API.
 */
public final class AnchoredBatchCheck implements AppliedCheck {
  /** How far before an intent's creation its effect is looked for (a reorganization may have moved it). */
  private static final long MARGIN_BLOCKS = 128;

  private final EvmAddress contract;
  private final EvmAddress publisher;
  private final long deploymentBlock;
  private final long maxRange;

  public AnchoredBatchCheck(EvmAddress contract, EvmAddress publisher, long deploymentBlock, long maxRange) {
    this.contract = contract;
    this.publisher = publisher;
    this.deploymentBlock = deploymentBlock;
    this.maxRange = maxRange;
  }

  @Override
  public Optional<Hash32> appliedBy(TransactionIntent intent, ChainClient chain) {
    long sequence = BatchRecord.sequenceOf(intent.id());
    byte[] data = intent.data();
    if (sequence < 1 || data.length < 68) {
      return Optional.empty();
    }
    // anchor(bytes32 root, uint64 treeSize, uint64 sequence, bytes32 previousRoot): the selector, then the words.
    Hash32 root = Hash32.of(Arrays.copyOfRange(data, 4, 36));
    long treeSize = new BigInteger(1, Arrays.copyOfRange(data, 36, 68)).longValue();
    long head = chain.blockNumber();
    long from = Math.max(deploymentBlock, intent.createdAtBlock() - MARGIN_BLOCKS);
    for (LogScanner.Found found : LogScanner.anchors(chain, contract, publisher, Set.of(sequence), from, head, maxRange)) {
      if (found.event().root().equals(root) && found.event().treeSize() == treeSize) {
        return Optional.of(found.log().transactionHash());
      }
      throw new IllegalStateException("batch " + sequence + " of " + publisher + " is anchored on chain with root "
          + found.event().root() + " (transaction " + found.log().transactionHash().hex0x() + "), but the journal's batch "
          + sequence + " has root " + root + ": refusing to anchor a second root under one batch number (is the journal"
          + " restored from an older backup?)");
    }
    return Optional.empty();
  }
}
