package io.chainseal.core;

import io.chainseal.core.internal.NodeHasher;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Computes message commitments with one reused digest: the allocation-free path for
 * committing batches ({@link MessageEnvelope#commit(Salt)} is the convenient one-off path and gives
 * the same result). Not thread-safe: use one per thread.
 *
 * <pre>{@code
 * Committer committer = new Committer();
 * byte[] leaves = new byte[batch.size() * 32];
 * for (int i = 0; i < batch.size(); i++) committer.commitInto(batch.get(i), salts.get(i), leaves, i * 32);
 * MerkleTree tree = MerkleTree.ofPackedLeafHashes(leaves);
 * }</pre>
 */
public final class Committer {
  private final MessageDigest sha256 = NodeHasher.newSha256();

  public Committer() {}

  /** The commitment of {@code envelope} under {@code salt}. */
  public Hash32 commit(MessageEnvelope envelope, Salt salt) {
    byte[] out = new byte[Hash32.LENGTH];
    commitInto(envelope, salt, out, 0);
    return Hash32.of(out);
  }

  /** Writes the commitment of {@code envelope} under {@code salt} into {@code out} at {@code offset}. */
  public void commitInto(MessageEnvelope envelope, Salt salt, byte[] out, int offset) {
    Objects.requireNonNull(envelope, "envelope == null");
    Objects.requireNonNull(salt, "salt == null");
    Objects.checkFromIndexSize(offset, Hash32.LENGTH, out.length);
    // Tag, salt and canonical bytes straight from where they lie: no copy of them per message, and
    // no copy of the salt left behind (the digest clears its own buffer when it finishes).
    sha256.update(MessageEnvelope.COMMITMENT_TAG, 0, MessageEnvelope.COMMITMENT_TAG.length);
    salt.updateDigest(sha256);
    envelope.updateDigest(sha256);
    try {
      sha256.digest(out, offset, Hash32.LENGTH);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 refused a 32-byte output", e);
    }
  }
}
