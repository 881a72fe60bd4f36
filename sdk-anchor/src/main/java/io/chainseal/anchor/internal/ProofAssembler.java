package io.chainseal.anchor.internal;

import io.chainseal.anchor.AnchorJournal;
import io.chainseal.anchor.BatchRecord;
import io.chainseal.anchor.JournalEntry;
import io.chainseal.anchor.MessageKey;
import io.chainseal.anchor.StoredMessage;
import io.chainseal.core.AnchorReference;
import io.chainseal.core.Checkpoint;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MerkleTree;
import io.chainseal.core.MessageProof;
import io.chainseal.core.SignedCheckpoint;
import io.chainseal.core.SigningKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Builds message proofs: from a batch in memory, or from the journal for any message ever batched.
 * Checkpoints are signed deterministically (RFC 6979), so signing a journaled batch again after a
 * restart gives the very same checkpoint. Keeps the trees of the last few batches. Thread-safe. Not API.
 */
public final class ProofAssembler {
  private final long chainId;
  private final EvmAddress contract;
  private final SigningKey publisherKey;
  private final Map<Long, MerkleTree> trees = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, MerkleTree> eldest) {
      return size() > 8;
    }
  };

  public ProofAssembler(long chainId, EvmAddress contract, SigningKey publisherKey) {
    this.chainId = chainId;
    this.contract = contract;
    this.publisherKey = publisherKey;
  }

  /** The operator's signed checkpoint of {@code batch}. */
  public SignedCheckpoint checkpoint(BatchRecord batch) {
    return new Checkpoint(chainId, contract, publisherKey.id().address(), batch.sequence(), batch.treeSize(), batch.root(),
        batch.createdAt()).sign(publisherKey);
  }

  public static MerkleTree tree(List<JournalEntry> members) {
    byte[] packed = new byte[members.size() * Hash32.LENGTH];
    for (int i = 0; i < members.size(); i++) {
      members.get(i).commitment().copyTo(packed, i * Hash32.LENGTH);
    }
    return MerkleTree.ofPackedLeafHashes(packed);
  }

  /** The batch with its members, tree and checkpoint, as the journal has it. */
  public SealedBatch sealed(AnchorJournal journal, BatchRecord record) {
    return sealed(record, journal.members(record.sequence()));
  }

  /** The batch with the given members (as the journal has them), its tree and checkpoint. */
  public SealedBatch sealed(BatchRecord record, List<JournalEntry> members) {
    return new SealedBatch(record, members, tree(record.sequence(), members), checkpoint(record));
  }

  private MerkleTree tree(long sequence, List<JournalEntry> members) {
    synchronized (trees) {
      MerkleTree cached = trees.get(sequence);
      if (cached != null && cached.size() == members.size()) {
        return cached;
      }
    }
    MerkleTree tree = tree(members);
    remember(sequence, tree);
    return tree;
  }

  public void remember(long sequence, MerkleTree tree) {
    synchronized (trees) {
      trees.put(sequence, tree);
    }
  }

  public static MessageProof proof(SealedBatch batch, int leaf, @Nullable AnchorReference anchor) {
    JournalEntry member = batch.members().get(leaf);
    return MessageProof.builder()
        .commitment(member.commitment())
        .inclusion(batch.tree().inclusionProof(leaf))
        .root(batch.tree().root())
        .signature(member.signature())
        .checkpoint(batch.checkpoint())
        .anchor(anchor)
        .build();
  }

  /** The anchored proof of a message whose batch is confirmed; empty if unknown or not confirmed yet. */
  public Optional<MessageProof> anchoredProof(AnchorJournal journal, MessageKey key) {
    return fromJournal(journal, key, true);
  }

  /** The best proof the journal holds: anchored once confirmed, else sealed once batched; empty while unbatched. */
  public Optional<MessageProof> latestProof(AnchorJournal journal, MessageKey key) {
    return fromJournal(journal, key, false);
  }

  private Optional<MessageProof> fromJournal(AnchorJournal journal, MessageKey key, boolean confirmedOnly) {
    Optional<StoredMessage> stored = journal.message(key);
    if (stored.isEmpty() || stored.get().batch().isEmpty()) {
      return Optional.empty();
    }
    Optional<BatchRecord> record = journal.batch(stored.get().batchSequence());
    if (record.isEmpty()) {
      return Optional.empty();
    }
    boolean confirmed = record.get().state() == BatchRecord.State.CONFIRMED;
    if (confirmedOnly && !confirmed) {
      return Optional.empty();
    }
    SealedBatch batch = sealed(journal, record.get());
    return Optional.of(proof(batch, (int) stored.get().leafIndex(), confirmed ? record.get().anchor() : null));
  }
}
