package io.chainseal.core;

import java.util.Objects;

/**
 * What a participant saw of a conversation log at one moment: its size and root. Keep it; later,
 * {@link ConversationLog#verifyExtension} checks that the log only grew since.
 *
 * @param conversationId the conversation the log belongs to
 * @param size number of messages in the log
 * @param root the log's RFC 9162 root at that size
 */
public record LogCheckpoint(String conversationId, long size, Hash32 root) {
  public LogCheckpoint {
    Objects.requireNonNull(conversationId, "conversationId == null");
    Objects.requireNonNull(root, "root == null");
    if (size < 1) {
      throw new IllegalArgumentException("size must be at least 1, got " + size);
    }
  }
}
