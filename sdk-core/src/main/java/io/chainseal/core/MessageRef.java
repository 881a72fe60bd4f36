package io.chainseal.core;

import java.util.Objects;

/**
 * A reference to another message, by conversation and message id (for replies and forwards).
 *
 * @param conversationId the referenced message's conversation
 * @param messageId the referenced message's id
 */
public record MessageRef(String conversationId, String messageId) {
  public MessageRef {
    conversationId = Text.requireId(conversationId, "conversationId");
    messageId = Text.requireId(messageId, "messageId");
  }

  /**
   * {@code id} in the form ids take in envelopes and refs (Unicode NFC, no lone surrogate, 1 to
   * 1,024 bytes of UTF-8), to look up a conversation or sender id as stored.
   *
   * @throws IllegalArgumentException naming {@code field} if it cannot be an id
   */
  public static String normalizedId(String id, String field) {
    return Text.requireId(id, field);
  }
}
