package io.chainseal.anchor;

import io.chainseal.core.MessageEnvelope;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What makes a submission unique: conversation id and message id. Submitting the same key twice
 * returns the same pending proof.
 *
 * @param conversationId the conversation
 * @param messageId the message, unique within its conversation
 */
public record MessageKey(String conversationId, String messageId) {
  public MessageKey {
    Objects.requireNonNull(conversationId, "conversationId == null");
    Objects.requireNonNull(messageId, "messageId == null");
    if (conversationId.isEmpty() || messageId.isEmpty()) {
      throw new IllegalArgumentException("conversationId and messageId must not be empty");
    }
  }

  /**
   * The key an anchor journal reports for a message whose ids it forgot ({@link AnchorJournal#forget}):
   * a reserved conversation id (a NUL character, then {@code forgotten}; {@link Anchorer} refuses
   * submissions under it) and the commitment's hex.
   */
  public static MessageKey forgotten(io.chainseal.core.Hash32 commitment) {
    return new MessageKey(FORGOTTEN, commitment.hex());
  }

  /** The conversation id of {@link #forgotten} keys. */
  static final String FORGOTTEN = "\u0000forgotten";

  /** Whether this is a {@link #forgotten} key. */
  public boolean isForgotten() {
    return conversationId.equals(FORGOTTEN);
  }

  public static MessageKey of(MessageEnvelope envelope) {
    return new MessageKey(envelope.conversationId(), envelope.messageId());
  }

  // Written out: keys are looked up in hash maps hundreds of thousands of times per batch.
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof MessageKey other && conversationId.equals(other.conversationId) && messageId.equals(other.messageId);
  }

  @Override
  public int hashCode() {
    return 31 * conversationId.hashCode() + messageId.hashCode();
  }

  @Override
  public String toString() {
    return conversationId + "/" + messageId;
  }
}
