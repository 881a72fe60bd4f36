package io.chainseal.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Objects;

/**
 * An operator's statement, signed the moment a batch closes: "my batch number {@code sequence} has
 * {@code treeSize} messages and root {@code root}, and I will anchor it on chain {@code chainId} in
 * contract {@code contract}". It gives users a badge at once ({@code SEALED}), long before the chain
 * confirms; like a Certificate Transparency signed tree head, it is also evidence against the
 * operator: two checkpoints with one sequence number and different roots are an equivocation, and a
 * checkpoint whose root never reaches the chain is a broken promise.
 *
 * @param chainId the chain the batch will be anchored on
 * @param contract the anchor contract
 * @param publisher the operator's address, which signs the checkpoint and sends the anchor
 * @param sequence the operator's batch number, from 1
 * @param treeSize messages in the batch
 * @param root the batch's RFC 9162 root
 * @param time when the batch closed (millisecond precision)
 */
public record Checkpoint(long chainId, EvmAddress contract, EvmAddress publisher, long sequence, long treeSize, Hash32 root,
    Instant time) {
  private static final byte[] TAG = "CHAINSEAL/CHECKPOINT/V1\n".getBytes(StandardCharsets.US_ASCII);

  public Checkpoint {
    Objects.requireNonNull(contract, "contract == null");
    Objects.requireNonNull(publisher, "publisher == null");
    Objects.requireNonNull(root, "root == null");
    Objects.requireNonNull(time, "time == null");
    time = Instant.ofEpochMilli(time.toEpochMilli());
    if (chainId < 1 || sequence < 1 || treeSize < 1) {
      throw new IllegalArgumentException("chainId, sequence and treeSize must be at least 1");
    }
  }

  /**
   * The bytes whose SHA-256 is signed (docs/proof-format.md §6.2): the tag
   * {@code "CHAINSEAL/CHECKPOINT/V1\n"} (24 ASCII bytes), then chainId (u64), contract (20 bytes),
   * publisher (20 bytes), sequence (u64), treeSize (u64), root (32 bytes) and time (i64 milliseconds
   * since 1970), all big-endian: 128 bytes.
   */
  public byte[] encode() {
    ByteBuffer buffer = ByteBuffer.allocate(TAG.length + 8 + 20 + 20 + 8 + 8 + 32 + 8);
    buffer.put(TAG).putLong(chainId).put(contract.bytes()).put(publisher.bytes()).putLong(sequence).putLong(treeSize)
        .put(root.bytes()).putLong(time.toEpochMilli());
    return buffer.array();
  }

  /** SHA-256 of {@link #encode()}: the 32 bytes the publisher signs with EIP-191 ({@code personal_sign}). */
  public Hash32 digest() {
    try {
      return Hash32.of(MessageDigest.getInstance("SHA-256").digest(encode()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  /** Signs this checkpoint with the publisher's key. */
  public SignedCheckpoint sign(Signer publisherKey) {
    return new SignedCheckpoint(this, publisherKey.sign(digest()));
  }
}
