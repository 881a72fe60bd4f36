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
}
