package io.chainseal.core;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A message's self-contained proof, format version {@value #VERSION}: its commitment, the inclusion
 * proof of that commitment in its batch tree and the batch root, and optionally the sender's
 * signature, its position in its conversation log, and where the batch root was anchored.
 * Immutable; JSON form by {@link ProofCodec}, specified in {@code docs/proof-format.md}.
 */
public final class MessageProof {
  public static final int VERSION = 1;

  private final HashAlgorithm hashAlgorithm;
  private final Hash32 commitment;
  private final InclusionProof inclusion;
  private final Hash32 root;
  private final @Nullable MessageSignature signature;
  private final @Nullable LogPosition conversation;
  private final @Nullable AnchorReference anchor;
  private final @Nullable SignedCheckpoint checkpoint;

  private MessageProof(Builder b) {
    this.hashAlgorithm = b.hashAlgorithm;
    this.commitment = require(b.commitment, "commitment");
    this.inclusion = require(b.inclusion, "inclusion");
    this.root = require(b.root, "root");
    this.signature = b.signature;
    this.conversation = b.conversation;
    this.anchor = b.anchor;
    this.checkpoint = b.checkpoint;
  }

  private static <T> T require(@Nullable T value, String field) {
    if (value == null) {
      throw new IllegalStateException(field + " is not set");
    }
    return value;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder with this proof's fields, e.g. to add the anchor reference once the batch is on chain. */
  public Builder toBuilder() {
    Builder b = new Builder().hashAlgorithm(hashAlgorithm).commitment(commitment).inclusion(inclusion).root(root);
    b.signature = signature;
    b.conversation = conversation;
    b.anchor = anchor;
    b.checkpoint = checkpoint;
    return b;
  }

  /**
   * The proof reduced for an erased message (docs/proof-format.md §3.1): without the sender's
   * signature, which names the sender's key and so links the message to the sender's other messages;
   * without the conversation position, which links it to its conversation; and, once anchored, without
   * the operator's checkpoint, whose seal time the anchor's block time replaces. What remains — the
   * commitment, its batch path and root, and the anchor (or, while only sealed, the checkpoint) —
   * shows that <em>a</em> message was leaf i of n in the publisher's batch by the block time, and
   * nothing about who wrote it or what it said once the salt is gone.
   */
  public MessageProof redactedForErasure() {
    Builder b = new Builder().hashAlgorithm(hashAlgorithm).commitment(commitment).inclusion(inclusion).root(root);
    b.anchor = anchor;
    b.checkpoint = anchor == null ? checkpoint : null;
    return b.build();
  }

  public int version() {
    return VERSION;
  }

  public HashAlgorithm hashAlgorithm() {
    return hashAlgorithm;
  }

  /** The message's commitment, which is its leaf hash in the batch tree. */
  public Hash32 commitment() {
    return commitment;
  }

  /** The inclusion proof of the commitment in the batch tree. */
  public InclusionProof inclusion() {
    return inclusion;
  }

  /** The batch tree's root: what is anchored on chain. */
  public Hash32 root() {
    return root;
  }

  public Optional<MessageSignature> signature() {
    return Optional.ofNullable(signature);
  }

  public Optional<LogPosition> conversation() {
    return Optional.ofNullable(conversation);
  }

  public Optional<AnchorReference> anchor() {
    return Optional.ofNullable(anchor);
  }

  /** The operator's signed checkpoint of the batch, if the proof carries one (two-tier receipts). */
  public Optional<SignedCheckpoint> checkpoint() {
    return Optional.ofNullable(checkpoint);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof MessageProof other
        && hashAlgorithm == other.hashAlgorithm
        && commitment.equals(other.commitment)
        && inclusion.equals(other.inclusion)
        && root.equals(other.root)
        && Objects.equals(signature, other.signature)
        && Objects.equals(conversation, other.conversation)
        && Objects.equals(anchor, other.anchor)
        && Objects.equals(checkpoint, other.checkpoint);
  }

  @Override
  public int hashCode() {
    return Objects.hash(commitment, inclusion, root, signature, conversation, anchor, checkpoint);
  }

  @Override
  public String toString() {
    return "MessageProof[commitment=" + commitment + ", leaf " + inclusion.leafIndex() + " of " + inclusion.treeSize()
        + ", root=" + root + (anchor != null ? ", anchored in " + anchor.transactionHash().hex0x() : "") + "]";
  }

  /** Builds a {@link MessageProof}; {@link #build()} names a missing field. */
  public static final class Builder {
    private HashAlgorithm hashAlgorithm = HashAlgorithm.SHA_256;
    private @Nullable Hash32 commitment;
    private @Nullable InclusionProof inclusion;
    private @Nullable Hash32 root;
    private @Nullable MessageSignature signature;
    private @Nullable LogPosition conversation;
    private @Nullable AnchorReference anchor;
    private @Nullable SignedCheckpoint checkpoint;

    private Builder() {}

    public Builder hashAlgorithm(HashAlgorithm hashAlgorithm) {
      this.hashAlgorithm = Objects.requireNonNull(hashAlgorithm, "hashAlgorithm == null");
      return this;
    }

    public Builder commitment(Hash32 commitment) {
      this.commitment = Objects.requireNonNull(commitment, "commitment == null");
      return this;
    }

    public Builder inclusion(InclusionProof inclusion) {
      this.inclusion = Objects.requireNonNull(inclusion, "inclusion == null");
      return this;
    }

    public Builder root(Hash32 root) {
      this.root = Objects.requireNonNull(root, "root == null");
      return this;
    }

    public Builder signature(@Nullable MessageSignature signature) {
      this.signature = signature;
      return this;
    }

    public Builder conversation(@Nullable LogPosition conversation) {
      this.conversation = conversation;
      return this;
    }

    public Builder anchor(@Nullable AnchorReference anchor) {
      this.anchor = anchor;
      return this;
    }

    public Builder checkpoint(@Nullable SignedCheckpoint checkpoint) {
      this.checkpoint = checkpoint;
      return this;
    }

    /**
     * Builds the proof.
     *
     * @throws IllegalStateException naming the first missing field
     */
    public MessageProof build() {
      return new MessageProof(this);
    }
  }
}
